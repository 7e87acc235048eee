import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { setUpFirstAccount } from '@offline-sync/test-support/node-device'
import { startServerProcess } from '@offline-sync/test-support/server-process'

/** One person's sign-in: ms until signed in, and how many tries it took (a 503 is retried after its Retry-After). */
export interface PersonSignIn {
  ms: number
  tries: number
}

export interface SignInFloodRound {
  /** The person on a browser that signed in before: it sends its device token (rules A12–A13). */
  returning: PersonSignIn
  /** The same account on a new phone, started at the same moment: no device token, the anonymous gate. */
  firstTime: PersonSignIn
  /** The flood's answers by status. */
  flood: Record<string, number>
  /** Until the last flood request was answered. */
  floodMs: number
}

export interface SignInFloodResult {
  /** The same two sign-ins with no flood, for comparison. */
  baseline: { returning: PersonSignIn; firstTime: PersonSignIn }
  rounds: SignInFloodRound[]
  logDir: string
}

/**
 * Issues 11 and 16: the real server (production scrypt cost and hashing limits) on a throwaway Postgres database;
 * 100 wrong-password sign-ins at once, each from its own address (X-Forwarded-For through the trusted loopback),
 * and during them the person signs in twice at once, each from an address of its own: from the browser it signed in
 * with before (its device cookie) and from a new phone (none). Figures only: nothing here is a pass/fail gate.
 */
export async function runSignInFlood(options: {
  flood: number
  rounds: number
  log?: (line: string) => void
}) {
  const log = options.log ?? (() => {})
  const logDir = mkdtempSync(join(tmpdir(), 'load-sign-in-'))
  const database = await createThrowawayDatabase(
    process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  )
  const server = await startServerProcess({ databaseUrl: database.url, logFile: join(logDir, 'server.log') })
  try {
    const person = { email: 'person@example.test', password: `load ${randomBytes(12).toString('hex')}` }
    await setUpFirstAccount(server.baseURL, person)
    let address = 0
    const nextAddress = () => {
      address++
      return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`
    }
    const attempt = (body: unknown, from: string, cookie?: string) =>
      fetch(`${server.baseURL}/api/auth/sign-in`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': from,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      })
    /**
     * Signs the person in, following Retry-After on 503. With a `browser`, sends its device cookie and keeps the
     * fresh one the answer sets, as a browser does.
     */
    const signInPerson = async (browser?: { deviceCookie?: string }): Promise<PersonSignIn> => {
      const from = nextAddress()
      const started = performance.now()
      for (let tries = 1; ; tries++) {
        const res = await attempt(person, from, browser?.deviceCookie)
        await res.arrayBuffer()
        if (res.status === 200) {
          const cookie = res.headers.getSetCookie().find((c) => c.startsWith('did='))
          if (browser && cookie) browser.deviceCookie = cookie.split(';')[0]
          return { ms: Math.round(performance.now() - started), tries }
        }
        if (res.status !== 503 || tries >= 20)
          throw new Error(`the person's sign-in answered ${res.status} after ${tries} tries`)
        await new Promise((resolve) =>
          setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000),
        )
      }
    }

    // The browser the person signed in with before the flood: it holds a device cookie from then on.
    const browser: { deviceCookie?: string } = {}
    const firstBaseline = await signInPerson(browser)
    if (!browser.deviceCookie) throw new Error('the sign-in set no device cookie')
    const baseline = { firstTime: firstBaseline, returning: await signInPerson(browser) }
    log(`baseline sign-in: first-time ${baseline.firstTime.ms} ms, returning ${baseline.returning.ms} ms`)
    const rounds: SignInFloodRound[] = []
    for (let round = 1; round <= options.rounds; round++) {
      const floodStarted = performance.now()
      const flood = Array.from({ length: options.flood }, (_, i) =>
        attempt(
          {
            email: i % 2 === 0 ? person.email : `guess-${round}-${i}@example.test`,
            password: `wrong password ${i}`,
          },
          nextAddress(),
        ).then(
          async (res) => {
            await res.arrayBuffer()
            return String(res.status)
          },
          () => 'no answer',
        ),
      )
      // The person arrives while the flood is in flight, on both devices at once.
      await new Promise((resolve) => setTimeout(resolve, 20))
      const [returning, firstTime] = await Promise.all([signInPerson(browser), signInPerson()])
      const statuses = await Promise.all(flood)
      const floodMs = Math.round(performance.now() - floodStarted)
      const tally: Record<string, number> = {}
      for (const status of statuses) tally[status] = (tally[status] ?? 0) + 1
      rounds.push({ returning, firstTime, flood: tally, floodMs })
      log(
        `round ${round}: returning ${returning.ms} ms in ${returning.tries} tries, first-time ${firstTime.ms} ms in ${firstTime.tries} tries; flood ${JSON.stringify(tally)}`,
      )
      // Let the hashing queue drain before the next round.
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
    return { baseline, rounds, logDir } satisfies SignInFloodResult
  } finally {
    await server.stop()
    await database.drop()
  }
}

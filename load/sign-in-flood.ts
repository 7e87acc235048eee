import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { setUpFirstAccount } from '@offline-sync/test-support/node-device'
import { startServerProcess } from '@offline-sync/test-support/server-process'

export interface SignInFloodRound {
  /** A person's sign-in from an address of its own, started while the flood is in flight: ms until signed in. */
  legitimateMs: number
  /** How many tries it took (a 503 is retried after its Retry-After, as a browser tab would). */
  legitimateAttempts: number
  /** The flood's answers by status. */
  flood: Record<string, number>
  /** Until the last flood request was answered. */
  floodMs: number
}

export interface SignInFloodResult {
  /** The same sign-in with no flood, for comparison. */
  baselineMs: number
  rounds: SignInFloodRound[]
  logDir: string
}

/**
 * Issue 11, point 4: the real server (production scrypt cost and hashing limits) on a throwaway Postgres database;
 * 100 wrong-password sign-ins at once, each from its own address (X-Forwarded-For through the trusted loopback),
 * and during them a person's sign-in from yet another address. Figures only: nothing here is a pass/fail gate.
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
    const attempt = (body: unknown, from: string) =>
      fetch(`${server.baseURL}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify(body),
      })
    /** Signs the person in, following Retry-After on 503; resolves the time taken and the tries. */
    const signInPerson = async () => {
      const from = nextAddress()
      const started = performance.now()
      for (let tries = 1; ; tries++) {
        const res = await attempt(person, from)
        await res.arrayBuffer()
        if (res.status === 200) return { ms: Math.round(performance.now() - started), tries }
        if (res.status !== 503 || tries >= 20)
          throw new Error(`the person's sign-in answered ${res.status} after ${tries} tries`)
        await new Promise((resolve) =>
          setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000),
        )
      }
    }

    const baseline = await signInPerson()
    log(`baseline sign-in: ${baseline.ms} ms`)
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
      // The person arrives while the flood is in flight.
      await new Promise((resolve) => setTimeout(resolve, 20))
      const legitimate = await signInPerson()
      const statuses = await Promise.all(flood)
      const floodMs = Math.round(performance.now() - floodStarted)
      const tally: Record<string, number> = {}
      for (const status of statuses) tally[status] = (tally[status] ?? 0) + 1
      rounds.push({
        legitimateMs: legitimate.ms,
        legitimateAttempts: legitimate.tries,
        flood: tally,
        floodMs,
      })
      log(
        `round ${round}: person ${legitimate.ms} ms in ${legitimate.tries} tries; flood ${JSON.stringify(tally)}`,
      )
      // Let the hashing queue drain before the next round.
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
    return { baselineMs: baseline.ms, rounds, logDir } satisfies SignInFloodResult
  } finally {
    await server.stop()
    await database.drop()
  }
}

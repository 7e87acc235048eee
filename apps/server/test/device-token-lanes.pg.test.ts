import { afterEach, describe, expect, it, vi } from 'vitest'
import { randomBytes } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { createAccountStore, hashPassword, type RateLimits } from '../src/accounts/index.ts'
import { createSignInLanes, type HashGate, type SignInLanes } from '../src/accounts/hash-gate.ts'
import { DEVICE_COOKIE_PATH, DEVICE_TOKEN_DAYS, signDeviceToken } from '../src/accounts/device-token.ts'
import { startTestServer, TEST_PASSWORD, TEST_SCRYPT_N, type TestServer } from './start-test-server.ts'

// Each test starts a server on a fresh database: slow on a busy machine, however correct.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 })

/** The `did` cookie a response sets, or undefined. */
const deviceCookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('did='))
    ?.split(';')[0]
    ?.slice('did='.length)

/** Holds one slot of `gate` until the returned function is called: deterministic, no timing. */
function holdBusy(gate: HashGate): () => void {
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  gate.run(() => held).catch(() => {})
  return release
}

// Issue 16: a person with a device token signs in during an anonymous flood (rules A12–A15, decision 024).
describe.each(testDatabaseKinds())('device tokens and the sign-in lanes on %s', (kind) => {
  let server: TestServer
  const releases: (() => void)[] = []
  afterEach(async () => {
    for (const release of releases.splice(0)) release()
    await server?.close()
  })

  /** A server whose gates are one slot each with no queue, so holding a slot makes the next sign-in a 503. */
  const start = async (rateLimits: Partial<RateLimits> = {}) => {
    const lanes: SignInLanes = createSignInLanes({
      concurrent: 1,
      queue: 0,
      device: { concurrent: 1, queue: 0 },
    })
    server = await startTestServer(kind, { signInLanes: lanes, rateLimits })
    return {
      lanes,
      /** The anonymous gate held busy, as a flood holds it: every anonymous sign-in is refused 503 at once. */
      flood: () => releases.push(holdBusy(lanes.anonymous)),
    }
  }
  const signIn = (
    email: string,
    password: string,
    options: { device?: string; from?: string; cookie?: string } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (options.device !== undefined) headers.cookie = `did=${options.device}`
    if (options.cookie !== undefined) headers.cookie = options.cookie
    if (options.from !== undefined) headers['x-forwarded-for'] = options.from
    return fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password }),
    })
  }
  /** Signs in once with nothing busy (a first-time sign-in) and answers the device token it got. */
  const firstSignIn = async (email: string) => {
    const res = await signIn(email, TEST_PASSWORD)
    expect(res.status).toBe(200)
    const token = deviceCookieOf(res)
    if (!token) throw new Error('sign-in answered without a device cookie')
    return token
  }

  it('rules A12, A15: sign-in and setup set an HttpOnly, SameSite=Strict device cookie for the sign-in path; sign-out keeps it', async () => {
    await start()
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.test', password: TEST_PASSWORD }),
    })
    expect(setup.status).toBe(201)
    const setupCookie = setup.headers.getSetCookie().find((c) => c.startsWith('did='))
    expect(setupCookie).toMatch(
      new RegExp(
        `^did=[0-9]+\\.[0-9]+\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}; Max-Age=${DEVICE_TOKEN_DAYS * 86400}; Path=${DEVICE_COOKIE_PATH.replace(/\//g, '\\/')}; Expires=[^;]+; HttpOnly; SameSite=Strict$`,
      ),
    )

    const tab = await server.signIn({ email: 'owner@example.test' })
    const signOut = await tab.fetch('/api/auth/sign-out', { method: 'POST' })
    expect(signOut.status).toBe(204)
    // The session cookie is cleared; the device cookie is not touched.
    expect(signOut.headers.getSetCookie()).toHaveLength(1)
    expect(signOut.headers.getSetCookie()[0]).toMatch(/^sid=;/)
  })

  it('rule A13: during a flood that fills the anonymous gate, a sign-in with a device token is admitted while an anonymous one gets 503', async () => {
    const { flood } = await start()
    const user = await server.createUser()
    const token = await firstSignIn(user.email)
    flood()

    const anonymous = await signIn(user.email, TEST_PASSWORD)
    expect(anonymous.status).toBe(503)
    expect(anonymous.headers.get('retry-after')).toBe('1')
    const returning = await signIn(user.email, TEST_PASSWORD, { device: token })
    expect(returning.status).toBe(200)
    expect((await returning.json()).user).toEqual({ id: user.id, email: user.email })
    // A fresh token each time: its tries (A14) start again.
    const fresh = deviceCookieOf(returning)
    expect(fresh).toBeDefined()
    expect(fresh).not.toBe(token)
    expect((await signIn(user.email, TEST_PASSWORD, { device: fresh })).status).toBe(200)
  })

  it('rule A13: a forged, altered, other-account, expired or pre-password-change token opens no lane (503 like anyone)', async () => {
    const { flood } = await start()
    const user = await server.createUser()
    const other = await server.createUser()
    const token = await firstSignIn(user.email)
    const otherToken = await firstSignIn(other.email)
    const accounts = createAccountStore(server.db.sql)
    const stored = await accounts.findByEmail(user.email)
    if (!stored) throw new Error('the account is gone')
    const [id, expires, nonce] = token.split('.')
    const forged = `${id}.${expires}.${nonce}.${randomBytes(32).toString('base64url')}`
    // The expiry moved a year on: the MAC no longer fits.
    const extended = `${id}.${Number(expires) + 365 * 86400}.${token.split('.').slice(2).join('.')}`
    const expired = signDeviceToken(stored, Date.now() - (DEVICE_TOKEN_DAYS + 1) * 86400_000)
    // Signed with the account's previous password hash: a password change voids every token.
    const beforeChange = signDeviceToken({
      ...stored,
      passwordHash: await hashPassword('the old password', TEST_SCRYPT_N),
    })
    flood()

    for (const device of [forged, extended, otherToken, expired, beforeChange]) {
      const res = await signIn(user.email, TEST_PASSWORD, { device })
      expect(res.status, device).toBe(503)
    }
    // The genuine token still works: the refusals were about the tokens, not the account.
    expect((await signIn(user.email, TEST_PASSWORD, { device: token })).status).toBe(200)
  })

  it('rule A14: wrong passwords through a token are counted against it; once spent it opens no lane, even with the right password', async () => {
    const { flood } = await start({ signInDevice: { limit: 3, windowSeconds: 900 } })
    const user = await server.createUser()
    const token = await firstSignIn(user.email)
    flood()

    const guesses = []
    for (let i = 0; i < 3; i++)
      guesses.push((await signIn(user.email, `wrong password ${i}`, { device: token })).status)
    expect(guesses).toEqual([401, 401, 401])
    // A thief holding the cookie gets no more answers than the limit: the fourth try is treated as anonymous.
    expect((await signIn(user.email, TEST_PASSWORD, { device: token })).status).toBe(503)
    const spent = await server.db.sql.query<{ count: number }>(
      `SELECT count FROM "RateLimitBucket" WHERE key = $1`,
      [`sign-in-device:${token.split('.')[2]}`],
    )
    expect(spent.map((row) => Number(row.count))).toEqual([4])
  })

  it('rule A13: a token is exempt from the per-IP limit but not from the per-(email, IP) one', async () => {
    await start({ signInIp: { limit: 2, windowSeconds: 900 }, signIn: { limit: 4, windowSeconds: 900 } })
    const user = await server.createUser()
    const token = await firstSignIn(user.email)
    const office = '198.51.100.7'
    // Others behind the same address use its allowance up.
    for (let i = 0; i < 2; i++) await signIn(`someone-${i}@example.test`, 'wrong password!', { from: office })
    expect((await signIn(user.email, TEST_PASSWORD, { from: office })).status).toBe(429)
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push((await signIn(user.email, TEST_PASSWORD, { device: token, from: office })).status)
    // The anonymous try above counted for (email, office) too: 1 + 3 within the limit of 4, then 429.
    expect(statuses).toEqual([200, 200, 200, 429])
  })

  it('rule A13: when the device lane is taken, a token-holder falls back to the anonymous gate (and is refused only if that is full)', async () => {
    const { lanes, flood } = await start()
    const user = await server.createUser()
    const token = await firstSignIn(user.email)
    releases.push(holdBusy(lanes.device))
    expect((await signIn(user.email, TEST_PASSWORD, { device: token })).status).toBe(200)
    flood()
    const res = await signIn(user.email, TEST_PASSWORD, { device: token })
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('unavailable')
  })

  it('rule A13: a cookie header with other cookies, or a malformed device cookie, is an anonymous sign-in', async () => {
    const { flood } = await start()
    const user = await server.createUser()
    const token = await firstSignIn(user.email)
    flood()
    expect(
      (await signIn(user.email, TEST_PASSWORD, { cookie: `theme=dark; did=${token}; sid=whatever` })).status,
    ).toBe(200)
    for (const cookie of [`did=${token}x`, `did=${token.slice(0, -1)}`, `did=`, `did=${'9'.repeat(5000)}`])
      expect((await signIn(user.email, TEST_PASSWORD, { cookie })).status, cookie).toBe(503)
  })
})

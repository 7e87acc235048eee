import { afterEach, describe, expect, it } from 'vitest'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { startTestServer, TEST_PASSWORD, type TestServer } from './start-test-server.ts'

const postJson = (server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const userCount = async (server: TestServer) =>
  Number((await server.db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM "User"'))[0]?.n)

describe.each(testDatabaseKinds())('setup and sign-in on %s', (kind) => {
  let server: TestServer
  afterEach(async () => {
    await server?.close()
  })

  it('creates the first account once, signs it in, and refuses every later setup', async () => {
    server = await startTestServer(kind)
    expect(await (await fetch(`${server.url}/api/setup`)).json()).toEqual({ needed: true })

    const res = await postJson(server, '/api/setup', {
      email: '  Owner@Example.TEST ',
      password: TEST_PASSWORD,
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toEqual({
      user: { id: expect.any(Number), email: 'owner@example.test' },
      csrfToken: expect.any(String),
    })
    expect(res.headers.get('set-cookie')).toMatch(/^sid=[A-Za-z0-9_-]{43};/)

    expect(await (await fetch(`${server.url}/api/setup`)).json()).toEqual({ needed: false })
    const again = await postJson(server, '/api/setup', {
      email: 'intruder@example.test',
      password: TEST_PASSWORD,
    })
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('setup_done')
    expect(again.headers.get('set-cookie')).toBeNull()
    // A malformed body is answered as such (400) before the setup state is looked at.
    const malformed = await postJson(server, '/api/setup', { email: 'x' })
    expect(malformed.status).toBe(400)
    expect(await userCount(server)).toBe(1)
  })

  it('lets exactly one of several concurrent setups win', async () => {
    server = await startTestServer(kind)
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        postJson(server, '/api/setup', { email: `racer${n}@example.test`, password: TEST_PASSWORD }),
      ),
    )
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409])
    expect(await userCount(server)).toBe(1)
  })

  it('refuses a malformed setup with 400 invalid, per field, and creates nothing', async () => {
    server = await startTestServer(kind)
    const res = await postJson(server, '/api/setup', { email: 'no-at-sign', password: 'short' })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('invalid')
    expect(error.details.map((d: { path: string[] }) => d.path[0]).sort()).toEqual(['email', 'password'])
    expect(await userCount(server)).toBe(0)
  })

  it('signs in with the right password and sets a strict, http-only session cookie', async () => {
    server = await startTestServer(kind)
    const user = await server.createUser('ada@example.test')
    const res = await postJson(server, '/api/auth/sign-in', {
      email: 'ADA@example.test',
      password: user.password,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      user: { id: user.id, email: 'ada@example.test' },
      csrfToken: expect.any(String),
    })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43};/)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).toMatch(/Max-Age=2592000/)
    // Plain http here; Secure is only added behind https.
    expect(cookie).not.toMatch(/Secure/)
  })

  it('adds Secure to the cookie when the request came over https (through the local proxy)', async () => {
    server = await startTestServer(kind)
    const user = await server.createUser()
    const res = await postJson(
      server,
      '/api/auth/sign-in',
      { email: user.email, password: user.password },
      { 'x-forwarded-proto': 'https' },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/)
  })

  it('answers a wrong password and an unknown email the same way, without a cookie', async () => {
    server = await startTestServer(kind)
    const user = await server.createUser()
    const wrong = await postJson(server, '/api/auth/sign-in', {
      email: user.email,
      password: 'wrong password!',
    })
    const unknown = await postJson(server, '/api/auth/sign-in', {
      email: 'nobody@example.test',
      password: TEST_PASSWORD,
    })
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401)
      expect(res.headers.get('set-cookie')).toBeNull()
    }
    expect(await wrong.json()).toEqual(await unknown.json())
    const sessions = await server.db.sql.query('SELECT 1 FROM "Session"')
    expect(sessions).toHaveLength(0)
  })

  it('stores only a scrypt hash with its parameters, never the password', async () => {
    server = await startTestServer(kind)
    const [{ hash } = { hash: '' }] = await (async () => {
      await postJson(server, '/api/setup', { email: 'owner@example.test', password: TEST_PASSWORD })
      return server.db.sql.query<{ hash: string }>('SELECT "passwordHash" AS hash FROM "User"')
    })()
    expect(hash).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(hash).not.toContain(TEST_PASSWORD)
  })

  it('never sends CORS headers, even to a cross-origin preflight', async () => {
    server = await startTestServer(kind)
    const preflight = await fetch(`${server.url}/api/sync`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    const get = await fetch(`${server.url}/api/setup`, { headers: { origin: 'https://evil.example' } })
    for (const res of [preflight, get])
      expect([...res.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([])
    // Helmet's CSP is still there.
    expect(get.headers.get('content-security-policy')).toContain("default-src 'self'")
  })
})

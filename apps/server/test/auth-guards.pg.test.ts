import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { startTestServer, TEST_PASSWORD, type SignedInClient, type TestServer } from './start-test-server.ts'
import type { TrustProxy } from '../src/http/trust-proxy.ts'

const addCompany = () => ({
  protocolVersion: 3,
  deviceId: randomUUID(),
  syncId: randomUUID(),
  companies: { added: [{ id: -1, uid: randomUUID(), name: 'Acme' }], modified: [], deleted: [] },
  contacts: { added: [], modified: [], deleted: [] },
})

describe.each(testDatabaseKinds())('session, CSRF and origin checks on %s', (kind) => {
  let server: TestServer
  let me: SignedInClient
  beforeAll(async () => {
    server = await startTestServer(kind)
    me = await server.signIn()
  })
  afterAll(async () => {
    await server?.close()
  })

  const syncWith = (headers: Record<string, string>) =>
    me.fetch('/api/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(addCompany()),
    })

  /** Asserts the answer and that the refused sync changed no row. */
  async function expectRefused(send: () => Promise<Response>, status: number, code: string) {
    const before = await server.snapshot()
    const res = await send()
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBe(code)
    expect(await server.snapshot()).toEqual(before)
  }

  it('accepts a sync with cookie, CSRF token and the matching account id', async () => {
    const res = await syncWith({})
    expect(res.status).toBe(200)
  })

  it('refuses a sync without a session with 401 unauthenticated', async () => {
    await expectRefused(() => syncWith({ cookie: '' }), 401, 'unauthenticated')
    await expectRefused(() => syncWith({ cookie: 'sid=not-a-session' }), 401, 'unauthenticated')
  })

  it('answers unknown API paths 401 without a session and 404 with one', async () => {
    const anonymous = await fetch(`${server.url}/api/companies`)
    expect(anonymous.status).toBe(401)
    expect((await anonymous.json()).error.code).toBe('unauthenticated')
    const signedIn = await me.fetch('/api/companies')
    expect(signedIn.status).toBe(404)
    expect((await signedIn.json()).error.code).toBe('not_found')
  })

  it('refuses a missing or wrong CSRF token with 403 csrf_failed and changes nothing', async () => {
    await expectRefused(() => syncWith({ 'x-csrf-token': '' }), 403, 'csrf_failed')
    await expectRefused(() => syncWith({ 'x-csrf-token': 'x'.repeat(43) }), 403, 'csrf_failed')
    const other = await server.signIn()
    await expectRefused(() => syncWith({ 'x-csrf-token': other.csrfToken }), 403, 'csrf_failed')
  })

  it('refuses a request from another origin with 403 cross_origin, signed in or not', async () => {
    await expectRefused(() => syncWith({ origin: 'https://evil.example' }), 403, 'cross_origin')
    await expectRefused(() => syncWith({ origin: 'null' }), 403, 'cross_origin')
    await expectRefused(() => syncWith({ 'sec-fetch-site': 'cross-site' }), 403, 'cross_origin')
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: me.user.email, password: TEST_PASSWORD }),
    })
    expect(signIn.status).toBe(403)
    expect((await signIn.json()).error.code).toBe('cross_origin')
    expect(signIn.headers.get('set-cookie')).toBeNull()
  })

  it('accepts the same origin and same-origin fetch metadata', async () => {
    const res = await syncWith({ origin: server.url, 'sec-fetch-site': 'same-origin' })
    expect(res.status).toBe(200)
  })

  it('refuses a sync whose X-Account-Id is another account with 401 account_mismatch', async () => {
    await expectRefused(() => syncWith({ 'x-account-id': String(me.user.id + 1) }), 401, 'account_mismatch')
  })

  it('accepts a sync without X-Account-Id (API clients other than the app)', async () => {
    const res = await syncWith({ 'x-account-id': '' })
    expect(res.status).toBe(200)
  })

  it('answers GET /api/auth/session with the user and token; without a cookie 200 and no user (A16)', async () => {
    const res = await me.fetch('/api/auth/session')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: me.user, csrfToken: me.csrfToken })
    const anonymous = await fetch(`${server.url}/api/auth/session`)
    expect(anonymous.status).toBe(200)
    expect(anonymous.headers.get('cache-control')).toBe('no-store')
    expect(await anonymous.json()).toEqual({ user: null, csrfToken: null })
    // An empty cookie is no cookie; one that names no session is 401, so the device drops what it believed.
    const empty = await fetch(`${server.url}/api/auth/session`, { headers: { cookie: 'sid=' } })
    expect(await empty.json()).toEqual({ user: null, csrfToken: null })
    const dead = await fetch(`${server.url}/api/auth/session`, { headers: { cookie: 'sid=nope' } })
    expect(dead.status).toBe(401)
    expect((await dead.json()).error.code).toBe('unauthenticated')
  })

  it('signs out only with the CSRF token, and then only that session', async () => {
    const tab = await server.signIn()
    const otherTab = await server.signIn()
    const forged = await tab.fetch('/api/auth/sign-out', { method: 'POST', headers: { 'x-csrf-token': '' } })
    expect(forged.status).toBe(403)
    expect((await tab.fetch('/api/auth/session')).status).toBe(200)

    const res = await tab.fetch('/api/auth/sign-out', { method: 'POST' })
    expect(res.status).toBe(204)
    expect(res.headers.get('set-cookie')).toMatch(/^sid=;.*Expires=Thu, 01 Jan 1970/)
    expect((await tab.fetch('/api/auth/session')).status).toBe(401)
    expect((await tab.sync(addCompany())).status).toBe(401)
    expect((await otherTab.fetch('/api/auth/session')).status).toBe(200)
    expect((await otherTab.sync(addCompany())).status).toBe(200)
  })

  it('refuses an expired session with 401 and keeps the row out of use', async () => {
    const tab = await server.signIn()
    await server.db.sql.query(
      `UPDATE "Session" SET "expiresAt" = now() - interval '1 second' WHERE "csrfToken" = $1`,
      [tab.csrfToken],
    )
    expect((await tab.fetch('/api/auth/session')).status).toBe(401)
    await expectRefused(() => tab.sync(addCompany()), 401, 'unauthenticated')
  })

  it('slides the expiry of a session used after half its life, and resends the cookie', async () => {
    const tab = await server.signIn()
    await server.db.sql.query(
      `UPDATE "Session" SET "expiresAt" = now() + interval '10 days' WHERE "csrfToken" = $1`,
      [tab.csrfToken],
    )
    const res = await tab.fetch('/api/auth/session')
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^sid=${tab.token};.*Max-Age=2592000`))
    const [row] = await server.db.sql.query<{ days: number }>(
      `SELECT extract(epoch FROM "expiresAt" - now()) / 86400 AS days FROM "Session" WHERE "csrfToken" = $1`,
      [tab.csrfToken],
    )
    expect(Number(row?.days)).toBeGreaterThan(29)
    // A fresh session is not rewritten on every request.
    const again = await tab.fetch('/api/auth/session')
    expect(again.headers.get('set-cookie')).toBeNull()
  })

  it('stores only the SHA-256 of the cookie token', async () => {
    const rows = await server.db.sql.query<{ tokenHash: string }>('SELECT "tokenHash" FROM "Session"')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.map((r) => r.tokenHash)).not.toContain(me.token)
    // The hash itself is no cookie.
    const hash = rows[0]!.tokenHash
    expect(
      (await fetch(`${server.url}/api/auth/session`, { headers: { cookie: `sid=${hash}` } })).status,
    ).toBe(401)
  })
})

/**
 * Behind a TLS proxy the browser's Origin is https://… while the server hears http: only a trusted proxy's
 * X-Forwarded-Proto makes the two match. These requests come from 127.0.0.1, so they stand for a proxy at that
 * address.
 */
describe.each(testDatabaseKinds())('origin check behind a TLS proxy (TRUST_PROXY) on %s', (kind) => {
  const throughProxy = async (trustProxy: TrustProxy | undefined) => {
    const server = await startTestServer(kind, trustProxy === undefined ? {} : { trustProxy })
    try {
      const me = await server.signIn()
      const host = new URL(server.url).host
      const before = await server.snapshot()
      const res = await me.fetch('/api/sync', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: `https://${host}`,
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.7',
        },
        body: JSON.stringify(addCompany()),
      })
      const body = (await res.json()) as { error?: { code: string } }
      const changed = JSON.stringify(await server.snapshot()) !== JSON.stringify(before)
      return { status: res.status, code: body.error?.code, changed }
    } finally {
      await server.close()
    }
  }

  it('accepts an https origin forwarded by a trusted proxy: loopback by default, or its address', async () => {
    expect(await throughProxy(undefined)).toEqual({ status: 200, code: undefined, changed: true })
    expect(await throughProxy(['127.0.0.1'])).toEqual({ status: 200, code: undefined, changed: true })
    expect(await throughProxy(1)).toEqual({ status: 200, code: undefined, changed: true })
  })

  it('ignores the forwarded protocol from a proxy it does not trust, and refuses with 403 cross_origin', async () => {
    expect(await throughProxy(false)).toEqual({ status: 403, code: 'cross_origin', changed: false })
    expect(await throughProxy(['10.0.0.0/8'])).toEqual({ status: 403, code: 'cross_origin', changed: false })
  })
})

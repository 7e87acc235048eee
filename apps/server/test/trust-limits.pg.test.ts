import { afterEach, describe, expect, it, vi } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { DEFAULT_SCRYPT_N } from '../src/accounts/index.ts'
import { MAX_KEY_LENGTH } from '../src/accounts/rate-limiter.ts'
import { PROTOCOL_VERSION } from '@offline-sync/sync-protocol'
import {
  startTestServer,
  TEST_PASSWORD,
  type TestServerOptions,
  type TestServer,
} from './start-test-server.ts'

// Each test starts a server on a fresh database: slow on a busy machine, however correct.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 })

const emptySync = () => ({
  protocolVersion: PROTOCOL_VERSION,
  deviceId: randomUUID(),
  syncId: randomUUID(),
  companies: { added: [], modified: [], deleted: [] },
  contacts: { added: [], modified: [], deleted: [] },
})

// Issue 11, points 4 and 5: sign-in admission, per-account sync limits, forwarded addresses and key lengths.
describe.each(testDatabaseKinds())('trust limits on %s', (kind) => {
  let server: TestServer
  afterEach(async () => {
    await server?.close()
  })
  const start = async (options: TestServerOptions) => (server = await startTestServer(kind, options))
  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password }),
    })
  const keys = () =>
    server.db.sql.query<{ key: string; count: number }>(
      'SELECT key, count FROM "RateLimitBucket" ORDER BY key',
    )

  it('rule A10: six sessions of one account share one sync allowance', async () => {
    await start({
      rateLimits: { sync: { limit: 100, windowSeconds: 60 }, syncAccount: { limit: 4, windowSeconds: 60 } },
    })
    const tabs = await Promise.all(Array.from({ length: 6 }, () => server.signIn()))
    const statuses: number[] = []
    for (const tab of tabs) statuses.push((await tab.sync(emptySync())).status)
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429])
    // Another account keeps its own allowance.
    const other = await server.signIn({ email: (await server.createUser()).email })
    expect((await other.sync(emptySync())).status).toBe(200)
  })

  it('rule A10: delta pulls that send nothing count per session only; writes and full reads spend the account allowance', async () => {
    await start({
      rateLimits: { sync: { limit: 100, windowSeconds: 60 }, syncAccount: { limit: 3, windowSeconds: 60 } },
    })
    const [writer, ...readers] = await Promise.all(Array.from({ length: 4 }, () => server.signIn()))
    // One full read: the first costly sync of the account.
    const first = await writer!.sync(emptySync())
    expect(first.status).toBe(200)
    const { cursor } = (await first.json()) as { cursor: string }
    // Twelve live pulls by three other phones: none of them is counted against the account.
    for (let round = 0; round < 4; round++)
      for (const reader of readers) expect((await reader.sync({ ...emptySync(), cursor })).status).toBe(200)
    // So the writer's uploads still have their allowance: two writes pass, the fourth costly sync is refused.
    const write = (name: string) => ({
      ...emptySync(),
      cursor,
      companies: { added: [{ id: -1, uid: randomUUID(), name }], modified: [], deleted: [] },
    })
    expect((await writer!.sync(write('North'))).status).toBe(200)
    expect((await writer!.sync(write('South'))).status).toBe(200)
    expect((await writer!.sync(write('East'))).status).toBe(429)
  })

  it('rule A11: a forwarded address that is not an IP address is ignored: the connecting address counts', async () => {
    await start({ rateLimits: { signInIp: { limit: 2, windowSeconds: 900 } } })
    const forged = ['not-an-ip.example', 'x'.repeat(6000), '999.1.1.1', '']
    const statuses = []
    for (const value of forged)
      statuses.push(
        (await signIn('nobody@example.test', 'wrong password!', { 'x-forwarded-for': value })).status,
      )
    // All four counted against 127.0.0.1 (limit 2), none in a bucket of its own choosing.
    expect(statuses).toEqual([401, 401, 429, 429])
    const ipKeys = (await keys()).filter((row) => row.key.startsWith('sign-in-ip:')).map((row) => row.key)
    expect(ipKeys).toEqual(['sign-in-ip:127.0.0.1'])
  })

  it('rule A11: a rate-limit key never reaches the index longer than the cap (a 6,000-character value is hashed)', async () => {
    await start({ trustProxy: ['loopback'] })
    // An email of 320 characters (the longest accepted) and the longest IPv6 text: the longest real key.
    const email = `${'a'.repeat(300)}@example.test`.slice(0, 320)
    const ipv6 = 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255'
    expect((await signIn(email, 'wrong password!', { 'x-forwarded-for': ipv6 })).status).toBe(401)
    for (const row of await keys()) expect(row.key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH)
    expect((await keys()).some((row) => /^sha256:[0-9a-f]{64}$/.test(row.key))).toBe(true)
    // The hashed key still counts: the same email and address is one bucket.
    expect((await signIn(email, 'wrong password!', { 'x-forwarded-for': ipv6 })).status).toBe(401)
    expect((await keys()).find((row) => row.key.startsWith('sha256:'))?.count).toBe(2)
  })

  it('rule A8: when the hashing queue is full a sign-in gets 503 + Retry-After at once, and the others still finish', async () => {
    // The production scrypt cost, one hash at a time and one waiting: a burst of 12 fills it many times over.
    await start({ scryptN: DEFAULT_SCRYPT_N, hashing: { concurrent: 1, queue: 1 } })
    const user = await server.createUser()
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signIn(`guess${i}@example.test`, 'wrong password!', { 'x-forwarded-for': `198.51.100.${i + 1}` }),
      ),
    )
    const statuses = burst.map((r) => r.status)
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0)
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true)
    for (const res of burst.filter((r) => r.status === 503)) {
      expect(res.headers.get('retry-after')).toBe('1')
      expect((await res.json()).error).toMatchObject({ code: 'unavailable', message: /busy/ })
    }
    // Once the burst is over, a real sign-in goes straight through.
    expect((await signIn(user.email, TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createTestDatabase } from '@offline-sync/db/testing'
import { startTestServer, TEST_PASSWORD, type TestServer } from './start-test-server.ts'

const emptySync = () => ({
  protocolVersion: 3,
  deviceId: randomUUID(),
  syncId: randomUUID(),
  companies: { added: [], modified: [], deleted: [] },
  contacts: { added: [], modified: [], deleted: [] },
})

// PGlite is one process only: sharing sessions and limits between instances is a Postgres matter.
describe('two server instances on one Postgres database', () => {
  const servers: TestServer[] = []
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
    await db?.close()
  })

  async function twoInstances(rateLimits = {}) {
    db = await createTestDatabase('postgres')
    const a = await startTestServer('postgres', { db, rateLimits })
    const b = await startTestServer('postgres', { db, rateLimits })
    servers.push(a, b)
    return [a, b] as const
  }

  it('serves a session made on one instance on the other, and signs it out everywhere', async () => {
    const [a, b] = await twoInstances()
    const onA = await a.signIn()
    const headers = { ...onA.headers, 'content-type': 'application/json' }
    const syncOnB = () =>
      fetch(`${b.url}/api/sync`, { method: 'POST', headers, body: JSON.stringify(emptySync()) })
    expect((await syncOnB()).status).toBe(200)
    expect((await onA.fetch('/api/auth/sign-out', { method: 'POST' })).status).toBe(204)
    expect((await syncOnB()).status).toBe(401)
  })

  it('shares the sign-in rate limit between instances', async () => {
    const [a, b] = await twoInstances({ signIn: { limit: 2, windowSeconds: 900 } })
    const user = await a.createUser()
    const attempt = (server: TestServer) =>
      fetch(`${server.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: 'wrong password!' }),
      })
    expect((await attempt(a)).status).toBe(401)
    expect((await attempt(b)).status).toBe(401)
    const limited = await attempt(a)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // The right password is refused too until the window ends: guessing must not continue.
    const right = await fetch(`${b.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: TEST_PASSWORD }),
    })
    expect(right.status).toBe(429)
  })
})

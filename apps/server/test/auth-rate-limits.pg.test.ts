import { afterEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import type { RateLimits } from '../src/accounts/index.ts'
import { startTestServer, TEST_PASSWORD, type TestServer } from './start-test-server.ts'

const emptySync = () => ({
  protocolVersion: 3,
  deviceId: randomUUID(),
  syncId: randomUUID(),
  companies: { added: [], modified: [], deleted: [] },
  contacts: { added: [], modified: [], deleted: [] },
})

describe.each(testDatabaseKinds())('rate limits on %s', (kind) => {
  let server: TestServer
  afterEach(async () => {
    await server?.close()
  })
  const start = async (rateLimits: Partial<RateLimits>) =>
    (server = await startTestServer(kind, { rateLimits }))
  const signIn = (email: string, password: string) =>
    fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })

  async function expectLimited(res: Response, maxSeconds: number) {
    expect(res.status).toBe(429)
    const retryAfter = Number(res.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(maxSeconds)
    expect((await res.json()).error).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: retryAfter },
    })
  }

  it('limits syncs per session, not per account or server', async () => {
    await start({ sync: { limit: 2, windowSeconds: 60 } })
    const tab = await server.signIn()
    const otherTab = await server.signIn()
    expect((await tab.sync(emptySync())).status).toBe(200)
    expect((await tab.sync(emptySync())).status).toBe(200)
    await expectLimited(await tab.sync(emptySync()), 60)
    expect((await otherTab.sync(emptySync())).status).toBe(200)
  })

  it('starts a new window once the old one is over', async () => {
    await start({ sync: { limit: 1, windowSeconds: 60 } })
    const tab = await server.signIn()
    expect((await tab.sync(emptySync())).status).toBe(200)
    await expectLimited(await tab.sync(emptySync()), 60)
    await server.db.sql.query(`UPDATE "RateLimitBucket" SET "windowStart" = now() - interval '61 seconds'`)
    expect((await tab.sync(emptySync())).status).toBe(200)
  })

  it('limits sign-in attempts per email and IP, leaving other emails alone', async () => {
    await start({ signIn: { limit: 3, windowSeconds: 900 } })
    const ada = await server.createUser()
    const bob = await server.createUser()
    for (let i = 0; i < 3; i++) expect((await signIn(ada.email, 'wrong password!')).status).toBe(401)
    await expectLimited(await signIn(ada.email, TEST_PASSWORD), 900)
    expect((await signIn(bob.email, TEST_PASSWORD)).status).toBe(200)
  })

  it('limits sign-in attempts per IP whatever the email', async () => {
    await start({ signInIp: { limit: 3, windowSeconds: 900 } })
    for (let i = 0; i < 3; i++)
      expect((await signIn(`guess${i}@example.test`, 'wrong password!')).status).toBe(401)
    await expectLimited(await signIn('guess9@example.test', 'wrong password!'), 900)
  })

  it('counts setup attempts as sign-in attempts', async () => {
    await start({ signInIp: { limit: 1, windowSeconds: 900 } })
    expect((await signIn('nobody@example.test', 'wrong password!')).status).toBe(401)
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.test', password: TEST_PASSWORD }),
    })
    await expectLimited(setup, 900)
    expect(await (await fetch(`${server.url}/api/setup`)).json()).toEqual({ needed: true })
  })
})

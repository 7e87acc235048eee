import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createAccountStore, createRateLimiter, createSessionStore } from '../src/accounts/index.ts'

describe.each(testDatabaseKinds())('account, session and rate-limit stores on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('creates an account once per email', async () => {
    const accounts = createAccountStore(db.sql)
    const ada = await accounts.create('ada@example.test', 'scrypt$hash')
    expect(ada).toEqual({ id: expect.any(Number), email: 'ada@example.test' })
    expect(await accounts.create('ada@example.test', 'scrypt$other')).toBeNull()
    expect(await accounts.findByEmail('ada@example.test')).toMatchObject({
      id: ada!.id,
      passwordHash: 'scrypt$hash',
    })
    expect(await accounts.createFirst('bob@example.test', 'scrypt$hash')).toBeNull()
  })

  it('prunes expired sessions only', async () => {
    const sessions = createSessionStore(db.sql)
    const [{ id } = { id: 0 }] = await db.sql.query<{ id: number }>('SELECT id FROM "User" LIMIT 1')
    const live = await sessions.create(id)
    const old = await sessions.create(id)
    await db.sql.query(
      `UPDATE "Session" SET "expiresAt" = now() - interval '1 minute' WHERE "csrfToken" = $1`,
      [old.csrfToken],
    )
    expect(await sessions.deleteExpired()).toBe(1)
    expect(await sessions.resolve(live.token)).toMatchObject({ user: { id }, csrfToken: live.csrfToken })
    expect(await sessions.resolve(old.token)).toBeNull()
    const [{ n } = { n: '' }] = await db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM "Session"')
    expect(n).toBe('1')
  })

  it('deletes the sessions of a deleted account with it', async () => {
    const accounts = createAccountStore(db.sql)
    const sessions = createSessionStore(db.sql)
    const gone = await accounts.create('gone@example.test', 'scrypt$hash')
    const { token } = await sessions.create(gone!.id)
    await db.sql.query('DELETE FROM "User" WHERE id = $1', [gone!.id])
    expect(await sessions.resolve(token)).toBeNull()
  })

  it('counts in one shared bucket per key and prunes stale buckets', async () => {
    const limiter = createRateLimiter(db.sql)
    const limit = { limit: 2, windowSeconds: 60 }
    expect(await limiter.check('k', limit)).toEqual({ ok: true })
    expect(await limiter.check('k', limit)).toEqual({ ok: true })
    const refused = await limiter.check('k', limit)
    expect(refused.ok).toBe(false)
    expect(await limiter.check('other', limit)).toEqual({ ok: true })
    await db.sql.query(
      `UPDATE "RateLimitBucket" SET "windowStart" = now() - interval '2 days' WHERE key = 'k'`,
    )
    expect(await limiter.deleteStale()).toBe(1)
    expect(await limiter.check('k', limit)).toEqual({ ok: true })
  })
})

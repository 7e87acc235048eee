import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DatabaseUnavailableError,
  openDatabase,
  prismaSqlDatabase,
  type DbHandle,
  type SqlExecutor,
} from '../src/index.ts'
import { createTestDatabase, testDatabaseKinds } from '../src/testing.ts'

const kinds = testDatabaseKinds()

/** Raises SQLSTATE `code` from the database itself, so the error takes the same path as a real one. */
const raise = (tx: SqlExecutor, code: string) =>
  tx.query(`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '${code}', MESSAGE = 'forced ${code}'; END $$`)

/** Promise.withResolvers is Node 22+. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

const cursor = async (db: DbHandle, id = 1): Promise<string | undefined> =>
  (
    await db.sql.query<{ cursor: string }>('SELECT cursor::text AS cursor FROM "SyncState" WHERE id = $1', [
      id,
    ])
  )[0]?.cursor

describe.each(kinds)('SqlDatabase on %s', (kind) => {
  let db: DbHandle

  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await db.sql.query('DELETE FROM "SyncState"')
    await db.sql.query('INSERT INTO "SyncState" (id, cursor) VALUES (1, 0), (2, 0)')
  })

  it('a transaction commits when its function resolves', async () => {
    const result = await db.sql.transaction(async (tx) => {
      await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = 1')
      return 'done'
    })
    expect(result).toBe('done')
    expect(await cursor(db)).toBe('1')
  })

  it('a transaction that throws rolls back all its writes and rethrows the same error', async () => {
    const failure = new Error('boom')
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = 1')
        await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = 2')
        throw failure
      }),
    ).rejects.toBe(failure)
    expect([await cursor(db, 1), await cursor(db, 2)]).toEqual(['0', '0'])
  })

  it('a database error inside a transaction rolls back and is rethrown, not retried', async () => {
    let attempts = 0
    const error = await db.sql
      .transaction(async (tx) => {
        attempts++
        await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = 1')
        await tx.query('INSERT INTO "SyncState" (id) VALUES (1)')
      })
      .catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(DatabaseUnavailableError)
    expect(String(error)).toMatch(/unique|duplicate/i)
    expect(attempts).toBe(1)
    expect(await cursor(db)).toBe('0')
  })

  it.each(['40001', '40P01'])('a serialization failure (%s) re-runs the whole transaction', async (code) => {
    let attempts = 0
    await db.sql.transaction(async (tx) => {
      attempts++
      await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = 1')
      if (attempts === 1) await raise(tx, code)
    })
    expect(attempts).toBe(2)
    // The first attempt's write was rolled back: exactly one increment survives.
    expect(await cursor(db)).toBe('1')
  })

  it('a conflict that outlasts the retries is a DatabaseUnavailableError', async () => {
    const sql = prismaSqlDatabase(db.prisma, { maxAttempts: 3, retryBaseDelayMs: 1 })
    let attempts = 0
    const error = await sql.transaction((tx) => (attempts++, raise(tx, '40001'))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatabaseUnavailableError)
    expect(attempts).toBe(3)
  })

  it('bigint, jsonb, uuid and timestamptz round-trip through parameters', async () => {
    const deviceId = randomUUID()
    const syncId = randomUUID()
    const outcome = { idMaps: { company: { '-1': 7 } }, rejected: [], big: '9007199254740993' }
    await db.sql.query(
      'INSERT INTO "SyncReceipt" ("deviceId", "syncId", "requestHash", outcome) VALUES ($1::uuid, $2::uuid, $3, $4::jsonb)',
      [deviceId, syncId, 'hash', JSON.stringify(outcome)],
    )
    await db.sql.query('UPDATE "SyncState" SET cursor = $1::bigint WHERE id = 1', ['9007199254740993'])
    const [row] = await db.sql.query<Record<string, unknown>>(
      `SELECT r."deviceId", r.outcome, r."createdAt", s.cursor, s.cursor::text AS "cursorText", 5::int AS small
       FROM "SyncReceipt" r, "SyncState" s WHERE r."syncId" = $1::uuid AND s.id = 1`,
      [syncId],
    )
    // What each adapter returns (documented in sql-database.ts): uuid → string, jsonb → parsed value,
    // timestamptz → Date, bigint → bigint, int → number.
    expect(row).toEqual({
      deviceId,
      outcome,
      createdAt: expect.any(Date) as unknown,
      cursor: 9007199254740993n,
      cursorText: '9007199254740993',
      small: 5,
    })
  })

  // Only PGlite can be "closed" for good: a Prisma client on Postgres reconnects after $disconnect.
  if (kind === 'pglite') {
    it('a query on a closed embedded database is a DatabaseUnavailableError', async () => {
      const other = await createTestDatabase(kind, { migrate: false })
      await other.close()
      await expect(other.sql.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError)
    })
  }
})

// Postgres only (not skipped but absent under TEST_DB=pglite): PGlite has no server to be unreachable or to deadlock.
if (kinds.includes('postgres')) {
  describe('SqlDatabase on an unreachable Postgres', () => {
    it('a query, a transaction and ping fail with DatabaseUnavailableError', async () => {
      // Port 1 on localhost refuses connections at once.
      const db = await openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/postgres' })
      try {
        await expect(db.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError)
        await expect(db.sql.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError)
        await expect(db.sql.transaction((tx) => tx.query('SELECT 1'))).rejects.toBeInstanceOf(
          DatabaseUnavailableError,
        )
      } finally {
        await db.close()
      }
    })
  })

  describe('SqlDatabase on Postgres under real contention', () => {
    let db: DbHandle

    beforeAll(async () => {
      db = await createTestDatabase('postgres')
      await db.sql.query('INSERT INTO "SyncState" (id, cursor) VALUES (1, 0), (2, 0)')
    })
    afterAll(async () => {
      await db?.close()
    })

    it('a real deadlock is retried: both transactions end up committed exactly once', async () => {
      // Two transactions lock rows 1 and 2 in opposite orders; the barrier makes them deadlock on their first
      // attempt, Postgres aborts one (40P01, after deadlock_timeout), and only that one runs again.
      const locked = { a: deferred(), b: deferred() }
      const attempts = { a: 0, b: 0 }
      const run = (me: 'a' | 'b', first: number, second: number, other: 'a' | 'b') =>
        db.sql.transaction(async (tx) => {
          attempts[me]++
          await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = $1', [first])
          if (attempts[me] === 1) {
            locked[me].resolve()
            await locked[other].promise
          }
          await tx.query('UPDATE "SyncState" SET cursor = cursor + 1 WHERE id = $1', [second])
        })
      await Promise.all([run('a', 1, 2, 'b'), run('b', 2, 1, 'a')])
      expect(attempts.a + attempts.b).toBe(3)
      expect([await cursor(db, 1), await cursor(db, 2)]).toEqual(['2', '2'])
    })
  })
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServerDataSync, parseSyncRequest, type SqlExecutor } from '@offline-sync/sync-server'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import type { DbHandle } from '@offline-sync/db'
import { resetAndSeed } from './seed-base.ts'
import { seedLiteralSync } from './seed-literal.ts'
import { sqlFloorSync } from './sql-floor.ts'
import { applyRequest, spec, type WireRequest } from './workload.ts'

/** Everything a sync can change, by uid (server ids differ between contenders only if they insert in another order). */
async function dataOf(db: SqlExecutor) {
  return {
    companies: await db.query(
      'SELECT uid::text, name, address, phone, email, website FROM "Company" ORDER BY uid',
    ),
    contacts: await db.query(
      'SELECT c.uid::text, p.uid::text AS company, c.name, c."jobTitle", c.email, c.phone ' +
        'FROM "Contact" c JOIN "Company" p ON p.id = c."companyId" ORDER BY c.uid',
    ),
  }
}

describe.each(testDatabaseKinds())('bench apply contenders on %s', (kind) => {
  let handle: DbHandle
  let request: WireRequest
  beforeAll(async () => {
    handle = await createTestDatabase(kind)
    const parsed = parseSyncRequest(spec, JSON.parse(JSON.stringify(applyRequest(1))))
    if (!parsed.ok) throw new Error(parsed.error.message)
    request = parsed.value
  })
  afterAll(async () => {
    await handle?.close()
  })

  it('the seed per-record algorithm, the SQL floor and our engine leave exactly the same data (same work compared)', async () => {
    await resetAndSeed(handle.sql, 1)
    const response = await createServerDataSync(spec, handle.sql).sync(request)
    expect(response.rejected).toEqual([])
    const ours = await dataOf(handle.sql)

    await resetAndSeed(handle.sql, 1)
    const floor = await sqlFloorSync(handle.sql, request)
    expect(await dataOf(handle.sql)).toEqual(ours)

    await resetAndSeed(handle.sql, 1)
    const literal = await seedLiteralSync(handle.prisma, request)
    expect(await dataOf(handle.sql)).toEqual(ours)

    // The floor and the literal seed read everything back; ours, a write without a cursor, reads nothing under the
    // writers' lock (rule G8): it acknowledges its adds and hands out the first page's token of the download instead.
    for (const result of [floor, literal]) {
      expect(result.companies).toBe(ours.companies.length)
      expect(result.contacts).toBe(ours.contacts.length)
      expect(result.companyIdMap.size).toBe(Object.keys(response.companyIdMap).length)
    }
    expect(response.companies).toEqual([])
    expect(response.page?.next).toEqual(expect.any(String))
    expect(response.written.companies.length).toBe(Object.keys(response.companyIdMap).length)
    expect(ours.contacts.length).toBeGreaterThan(1000)
  })
})

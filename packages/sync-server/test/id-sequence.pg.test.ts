import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, type SqlDatabase } from '../src/index.ts'
import { body, count, newCompany, newContact, spec, syncAndDownload, type Engine } from './helpers.ts'

/** The next id a table's sequence would hand out is above this (is_called: last_value was used). */
async function lastId(db: SqlDatabase, table: 'Company' | 'Contact'): Promise<number> {
  const [row] = await db.query<{ last: string }>(
    `SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::text AS last FROM "${table}_id_seq"`,
  )
  return Number(row?.last)
}

describe.each(testDatabaseKinds())('id sequence on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('rule S1: re-adding existing uids (from another device, so no receipt answers it) draws no ids', async () => {
    const companies = Array.from({ length: 200 }, (_, i) => newCompany(-(i + 1)))
    const contacts = companies.slice(0, 50).map((c, i) => newContact(-(1000 + i), c.id))
    const first = await syncAndDownload(
      engine,
      body({ companies: { added: companies }, contacts: { added: contacts } }),
    )
    const companySeq = await lastId(db.sql, 'Company')
    const contactSeq = await lastId(db.sql, 'Contact')
    const rows = await count(db.sql, 'Company')

    for (let round = 0; round < 3; round++) {
      const again = await syncAndDownload(
        engine,
        body({
          companies: { added: companies.map((c) => ({ ...c, name: `${String(c.name)} r${round}` })) },
          contacts: { added: contacts },
        }),
      )
      expect(again.replayed).toBe(false)
      // Rule R10 still holds: the same server ids, and the re-add's fields win.
      expect(again.companyIdMap).toEqual(first.companyIdMap)
      expect(again.contactIdMap).toEqual(first.contactIdMap)
      expect(again.companies.find((c) => c.uid === companies[0]!.uid)?.name).toBe(
        `${String(companies[0]!.name)} r${round}`,
      )
    }
    expect(await lastId(db.sql, 'Company')).toBe(companySeq)
    expect(await lastId(db.sql, 'Contact')).toBe(contactSeq)
    expect(await count(db.sql, 'Company')).toBe(rows)
  })

  it('rule S1: a mix of existing and new uids draws exactly one id per new record, in the order sent', async () => {
    const existing = [newCompany(-1), newCompany(-2)]
    await syncAndDownload(engine, body({ companies: { added: existing } }))
    const before = await lastId(db.sql, 'Company')
    const fresh = [newCompany(-3), newCompany(-4), newCompany(-5)]
    const mixed = await syncAndDownload(
      engine,
      body({ companies: { added: [fresh[0]!, existing[0]!, fresh[1]!, existing[1]!, fresh[2]!] } }),
    )
    expect(await lastId(db.sql, 'Company')).toBe(before + 3)
    const newIds = fresh.map((c) => mixed.companyIdMap[String(c.id)])
    expect(newIds).toEqual([before + 1, before + 2, before + 3])
  })
})

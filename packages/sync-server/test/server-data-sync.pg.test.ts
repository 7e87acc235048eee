import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, type SqlDatabase } from '../src/index.ts'
import {
  body,
  byId,
  count,
  newCompany,
  newContact,
  recording,
  ref,
  spec,
  sync,
  syncAndDownload,
  type Engine,
} from './helpers.ts'

describe.each(testDatabaseKinds())('ServerDataSync on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('rule R8: one company with two contacts is created and the contacts are remapped to its server id', async () => {
    const company = newCompany(-1, { phone: '+44 20 7946 0000' })
    const ada = newContact(-2, -1, { email: 'ada@acme.test' })
    const bob = newContact(-3, -1, { jobTitle: 'Buyer' })
    const res = await syncAndDownload(
      engine,
      body({ companies: { added: [company] }, contacts: { added: [ada, bob] } }),
    )

    const companyId = res.companyIdMap['-1']
    expect(companyId).toBeGreaterThan(0)
    expect(Object.keys(res.contactIdMap).sort()).toEqual(['-2', '-3'])
    expect(res).toMatchObject({ mode: 'full', replayed: false, rejected: [] })
    expect(byId(res.companies, companyId)).toMatchObject({
      uid: company.uid,
      name: company.name,
      phone: '+44 20 7946 0000',
      address: null,
      isFromServer: true,
      isModified: false,
      isActive: true,
      version: res.cursor,
    })
    for (const [local, contact] of [
      ['-2', ada],
      ['-3', bob],
    ] as const) {
      expect(byId(res.contacts, res.contactIdMap[local])).toMatchObject({
        uid: contact.uid,
        name: contact.name,
        companyId,
      })
    }
    expect(await count(db.sql, 'Contact', '"companyId" = $1', [companyId])).toBe(2)
  })

  it('rules R6, M1: a modify writes the fields it carries and a contact can move to a company added in the same sync', async () => {
    const first = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1, { email: 'a@b.test' })] },
        contacts: { added: [newContact(-2, -1)] },
      }),
    )
    const companyId = first.companyIdMap['-1']!
    const company = byId(first.companies, companyId)!
    const contact = byId(first.contacts, first.contactIdMap['-2'])!

    const newHome = newCompany(-5)
    const res = await syncAndDownload(
      engine,
      body({
        companies: { added: [newHome], modified: [{ id: companyId, uid: company.uid, name: 'Renamed Ltd' }] },
        contacts: { modified: [{ id: contact.id, uid: contact.uid, name: 'Ada L.', companyId: -5 }] },
      }),
    )
    expect(res.rejected).toEqual([])
    // The omitted email is "unchanged" (R6, M1: per field), not "not set".
    expect(byId(res.companies, companyId)).toMatchObject({
      name: 'Renamed Ltd',
      email: 'a@b.test',
      version: res.cursor,
    })
    expect(byId(res.companies, companyId)).toMatchObject({ createdAt: company.createdAt })
    expect(byId(res.companies, companyId)!.updatedAt >= company.updatedAt).toBe(true)
    expect(byId(res.contacts, contact.id)).toMatchObject({
      name: 'Ada L.',
      companyId: res.companyIdMap['-5'],
    })
  })

  it('rule R13: deleting a company deletes its contacts and leaves a tombstone for each', async () => {
    const first = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1)] },
        contacts: { added: [newContact(-2, -1), newContact(-3, -1)] },
      }),
    )
    const companyId = first.companyIdMap['-1']!
    const contactIds = Object.values(first.contactIdMap)
    const company = byId(first.companies, companyId)!

    const res = await syncAndDownload(engine, body({ companies: { deleted: [ref(company)] } }))
    expect(res.rejected).toEqual([])
    expect(byId(res.companies, companyId)).toBeUndefined()
    expect(res.contacts.filter((c) => c.companyId === companyId)).toEqual([])
    const tombstones = await db.sql.query<{ entity: string; recordId: number; version: string }>(
      `SELECT entity, "recordId", version::text FROM "Tombstone" WHERE version = $1::bigint ORDER BY entity, "recordId"`,
      [res.cursor],
    )
    expect(tombstones).toEqual([
      { entity: 'Company', recordId: companyId, version: res.cursor },
      ...contactIds
        .sort((a, b) => a - b)
        .map((id) => ({ entity: 'Contact', recordId: id, version: res.cursor })),
    ])
  })

  it('rule R12: modify and delete of records that are gone are rejected with reasons; the rest is applied', async () => {
    const first = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1), newCompany(-2)] },
        contacts: { added: [newContact(-3, -1)] },
      }),
    )
    const gone = byId(first.companies, first.companyIdMap['-1'])!
    const kept = byId(first.companies, first.companyIdMap['-2'])!
    const goneContact = byId(first.contacts, first.contactIdMap['-3'])!
    await syncAndDownload(engine, body({ companies: { deleted: [ref(gone)] } })) // another device deletes it

    const res = await syncAndDownload(
      engine,
      body({
        companies: {
          modified: [
            { id: gone.id, uid: gone.uid, name: 'Too late' },
            { id: kept.id, uid: kept.uid, name: 'Still here' },
          ],
        },
        contacts: { deleted: [ref(goneContact)] },
      }),
    )
    expect(byId(res.companies, kept.id)?.name).toBe('Still here')
    expect(res.rejected).toEqual([
      expect.objectContaining({ entity: 'company', id: gone.id, uid: gone.uid, code: 'not_found' }),
      expect.objectContaining({
        entity: 'contact',
        id: goneContact.id,
        uid: goneContact.uid,
        code: 'already_deleted',
      }),
    ])
    expect(res.rejected[0]?.reason).toMatch(/deleted on the server by another device.*kept on this device/)
    expect(res.rejected[1]?.reason).toMatch(/already been deleted/)
  })

  it('rule R12: a modify whose uid does not match the server record is rejected, not applied to another record', async () => {
    const first = await syncAndDownload(
      engine,
      body({ companies: { added: [newCompany(-1, { name: 'Original' })] } }),
    )
    const company = byId(first.companies, first.companyIdMap['-1'])!
    const wrong = newCompany(company.id, { name: 'Hijack' })
    const res = await syncAndDownload(engine, body({ companies: { modified: [wrong], deleted: [] } }))
    expect(res.rejected).toEqual([
      expect.objectContaining({ id: company.id, uid: wrong.uid, code: 'not_found' }),
    ])
    expect(byId(res.companies, company.id)?.name).toBe('Original')
  })

  it('rule R12: a contact added under a company deleted earlier is rejected, naming the company', async () => {
    const first = await syncAndDownload(engine, body({ companies: { added: [newCompany(-1)] } }))
    const company = byId(first.companies, first.companyIdMap['-1'])!
    await syncAndDownload(engine, body({ companies: { deleted: [ref(company)] } }))

    const orphan = newContact(-7, company.id, { name: 'Orphan' })
    const sibling = newCompany(-8)
    const res = await syncAndDownload(
      engine,
      body({ companies: { added: [sibling] }, contacts: { added: [orphan] } }),
    )
    expect(res.companyIdMap['-8']).toBeGreaterThan(0) // the rest of the request is applied
    expect(res.contactIdMap).toEqual({})
    expect(res.rejected).toEqual([
      expect.objectContaining({ entity: 'contact', id: -7, uid: orphan.uid, code: 'parent_not_found' }),
    ])
    expect(res.rejected[0]?.reason).toContain(`company (id ${company.id}) no longer exists`)
    expect(await count(db.sql, 'Contact', 'uid = $1::uuid', [orphan.uid])).toBe(0)
  })

  it('rule R12: contacts under a company deleted in the same sync: listed deletes count as applied, adds and moves are rejected', async () => {
    const first = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1, { name: 'Doomed Ltd' }), newCompany(-2)] },
        contacts: { added: [newContact(-3, -1), newContact(-4, -2)] },
      }),
    )
    const doomed = byId(first.companies, first.companyIdMap['-1'])!
    const child = byId(first.contacts, first.contactIdMap['-3'])!
    const mover = byId(first.contacts, first.contactIdMap['-4'])!

    const added = newContact(-9, doomed.id)
    const res = await syncAndDownload(
      engine,
      body({
        companies: { deleted: [ref(doomed)] },
        contacts: {
          added: [added],
          modified: [{ id: mover.id, uid: mover.uid, name: 'Mover', companyId: doomed.id }],
          deleted: [ref(child)],
        },
      }),
    )
    expect(res.rejected.map((r) => [r.id, r.code])).toEqual([
      [-9, 'parent_not_found'],
      [mover.id, 'parent_not_found'],
    ])
    expect(res.rejected[0]?.reason).toContain('"Doomed Ltd"')
    expect(res.rejected[0]?.reason).toContain('deleted in this same sync')
    expect(byId(res.contacts, mover.id)?.companyId).toBe(mover.companyId) // the move was not applied
    expect(byId(res.contacts, child.id)).toBeUndefined()
  })

  it('rule R14: each list is written with one statement, whatever its length, and an empty list with none', async () => {
    const { db: recorded, statements } = recording(db.sql)
    const companies = Array.from({ length: 300 }, (_, i) => newCompany(-1 - i))
    const contacts = Array.from({ length: 900 }, (_, i) => newContact(-1000 - i, -1 - (i % 300)))
    const res = await sync(
      createServerDataSync(spec, recorded),
      body({ companies: { added: companies }, contacts: { added: contacts } }),
    )
    expect(Object.keys(res.companyIdMap)).toHaveLength(300)
    expect(new Set(Object.values(res.contactIdMap)).size).toBe(900)
    // One statement per list: it updates the uids that exist and inserts the others (rule S1).
    expect(statements.filter((sql) => sql.includes('INSERT INTO "Company"'))).toHaveLength(1)
    expect(statements.filter((sql) => sql.includes('INSERT INTO "Contact"'))).toHaveLength(1)
    // Nothing modified or deleted: no UPDATE, DELETE or tombstone statement at all.
    expect(
      statements.filter((sql) => /^(UPDATE "(Company|Contact)"|DELETE|INSERT INTO "Tombstone")/.test(sql)),
    ).toEqual([])
    // Receipt lookup, lock, receipt lookup under the lock, 2 inserts, receipt insert, overwritten read (M5), 2 reads
    // of acknowledgements (G7), and after the commit the download's totals (G8). No overwrite: no Overwrite insert.
    expect(statements).toHaveLength(10)
    // Rule G8: no table is read in full, under the lock or after it.
    expect(statements.filter((sql) => /FROM "(Company|Contact)" AS t (WHERE|ORDER)/.test(sql))).toEqual([])
  })

  it('a sync with nothing to send writes nothing and returns every record', async () => {
    await syncAndDownload(engine, body({ companies: { added: [newCompany(-1)] } }))
    const before = await db.sql.query('SELECT cursor::text FROM "SyncState"')
    const receipts = await count(db.sql, 'SyncReceipt')
    const res = await syncAndDownload(engine, body())
    expect(res.mode).toBe('full')
    expect(res.companies.length).toBe(await count(db.sql, 'Company'))
    expect(res.contacts.length).toBe(await count(db.sql, 'Contact'))
    // Rule G3: companies in list order (name, then id, in the database's collation), contacts by id.
    const listOrder = await db.sql.query<{ id: number }>(
      'SELECT id FROM "Company" ORDER BY left(name, 64), id',
    )
    expect(res.companies.map((c) => c.id)).toEqual(listOrder.map((row) => row.id))
    expect(res.contacts.map((c) => c.id)).toEqual([...res.contacts.map((c) => c.id)].sort((a, b) => a - b))
    expect(await db.sql.query('SELECT cursor::text FROM "SyncState"')).toEqual(before)
    expect(await count(db.sql, 'SyncReceipt')).toBe(receipts)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, type SqlDatabase } from '../src/index.ts'
import {
  body,
  byId,
  failingOn,
  newCompany,
  newContact,
  parsed,
  ref,
  snapshot,
  spec,
  sync,
  syncAndDownload,
} from './helpers.ts'

describe.each(testDatabaseKinds())('atomicity on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(async () => {
    await db?.close()
  })

  /** A request that touches every statement: adds, modifies, deletes (with tombstones) of both entities. */
  async function everythingRequest() {
    const engine = createServerDataSync(spec, db.sql)
    const seed = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1), newCompany(-2)] },
        contacts: { added: [newContact(-3, -1)] },
      }),
    )
    const [a, b] = [
      byId(seed.companies, seed.companyIdMap['-1'])!,
      byId(seed.companies, seed.companyIdMap['-2'])!,
    ]
    const contact = byId(seed.contacts, seed.contactIdMap['-3'])!
    return body({
      companies: {
        added: [newCompany(-10)],
        modified: [{ id: a.id, uid: a.uid, name: 'Changed' }],
        deleted: [ref(b)],
      },
      contacts: { added: [newContact(-11, -10), newContact(-12, a.id)], deleted: [ref(contact)] },
    })
  }

  const failurePoints: [string, RegExp][] = [
    ['the receipt insert', /INSERT INTO "SyncReceipt"/],
    ['the tombstone insert', /INSERT INTO "Tombstone"/],
    ['the child insert, after the parents were written', /INSERT INTO "Contact"/],
    // Rule G8: a write without a cursor reads no table back; its last statement reads the acknowledgements (G7).
    [
      'the acknowledgements, after everything was written',
      /FROM "Contact" AS t JOIN json_array_elements_text/,
    ],
  ]
  it.each(failurePoints)('rule R8: if %s fails, nothing of the request is committed', async (_, pattern) => {
    const wire = await everythingRequest()
    const before = await snapshot(db.sql)
    const broken = createServerDataSync(spec, failingOn(db.sql, pattern))
    await expect(broken.sync(parsed(wire))).rejects.toThrow(/injected failure/)
    expect(await snapshot(db.sql)).toEqual(before)

    // The device resends the same attempt once the fault is gone, and it applies normally.
    const retried = await sync(createServerDataSync(spec, db.sql), wire)
    expect(retried).toMatchObject({ replayed: false, rejected: [] })
  })

  it('rule R8: a constraint violation raised by the database mid-way commits nothing', async () => {
    // A rule only the database knows (the engine cannot see it coming), hit by the second statement that writes.
    await db.sql.query(`ALTER TABLE "Contact" ADD CONSTRAINT test_no_boom CHECK (name <> 'Boom')`)
    try {
      const wire = body({
        companies: { added: [newCompany(-1)] },
        contacts: { added: [newContact(-2, -1, { name: 'Boom' })] },
      })
      const before = await snapshot(db.sql)
      await expect(createServerDataSync(spec, db.sql).sync(parsed(wire))).rejects.toThrow()
      expect(await snapshot(db.sql)).toEqual(before)
    } finally {
      await db.sql.query(`ALTER TABLE "Contact" DROP CONSTRAINT test_no_boom`)
    }
  })
})

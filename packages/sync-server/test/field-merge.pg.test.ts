import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { BaseAheadError, createServerDataSync, type SqlDatabase } from '../src/index.ts'
import {
  body,
  byId,
  newCompany,
  newContact,
  parsed,
  snapshot,
  spec,
  syncAndDownload,
  type Engine,
} from './helpers.ts'

/*
 * Field-level last write wins (docs/sync-protocol.md, rules M1–M7): two phones, A and B, edit one company from the
 * same base; what each wrote survives unless the other wrote the same field later, and every value replaced is
 * reported to both.
 */
describe.each(testDatabaseKinds())('field-level merge on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  const phoneA = randomUUID()
  const phoneB = randomUUID()

  /** A company created by phone A, as both phones last saw it. */
  async function seeded(fields: Record<string, unknown> = {}) {
    const company = newCompany(-1, { phone: '111', ...fields })
    const first = await syncAndDownload(engine, body({ deviceId: phoneA, companies: { added: [company] } }))
    const id = first.companyIdMap['-1']
    const row = byId(first.companies, id)
    if (!id || !row) throw new Error('seed failed')
    return { id, uid: company.uid, base: row.version, name: row.name }
  }

  it('rule M1: edits of different fields from the same base are both kept (the issue case)', async () => {
    const c = await seeded()
    const b = await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), name: 'Renamed by B' }] } }),
    )
    expect(b.overwrites).toEqual([])
    const a = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, companies: { modified: [{ ...ref(c), phone: '222' }] } }),
    )
    expect(a.overwrites).toEqual([])
    expect(byId(a.companies, c.id)).toMatchObject({ name: 'Renamed by B', phone: '222' })
    const readB = await syncAndDownload(engine, body({ deviceId: phoneB }))
    expect(readB.overwritten).toEqual([])
  })

  it("rule M1: a contact's companyId is a field like the others", async () => {
    const c = await seeded()
    const other = await seeded()
    const added = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, contacts: { added: [newContact(-5, c.id, { email: 'a@example.com' })] } }),
    )
    const contactId = added.contactIdMap['-5']
    const contact = byId(added.contacts, contactId)
    if (!contact || !contactId) throw new Error('no contact')
    const base = { id: contactId, uid: contact.uid, base: contact.version }
    await syncAndDownload(
      engine,
      body({ deviceId: phoneB, contacts: { modified: [{ ...base, companyId: other.id }] } }),
    )
    const a = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, contacts: { modified: [{ ...base, jobTitle: 'Boss' }] } }),
    )
    expect(byId(a.contacts, contactId)).toMatchObject({
      companyId: other.id,
      jobTitle: 'Boss',
      email: 'a@example.com',
    })
    expect(a.overwrites).toEqual([])
  })

  it('rules M3, M4, M5: the same field: the last arrival wins, the writer is told and the other device learns it next sync', async () => {
    const c = await seeded()
    const b = await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), name: 'B name' }] } }),
    )
    const cursorA = b.cursor
    const a = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, companies: { modified: [{ ...ref(c), name: 'A name' }] } }),
    )
    expect(byId(a.companies, c.id)?.name).toBe('A name')
    const entry = {
      entity: 'company',
      id: c.id,
      uid: c.uid,
      field: 'name',
      replaced: 'B name',
      written: 'A name',
    }
    expect(a.overwrites).toEqual([{ ...entry, byDevice: phoneB, version: a.cursor }])

    const readB = await syncAndDownload(engine, body({ deviceId: phoneB, cursor: cursorA }))
    expect(readB.overwritten).toEqual([{ ...entry, byDevice: phoneA, version: a.cursor }])
    // Delta after that: already delivered, not again. A full read lists what is kept (the device drops duplicates).
    expect(
      (await syncAndDownload(engine, body({ deviceId: phoneB, cursor: readB.cursor }))).overwritten,
    ).toEqual([])
    expect((await syncAndDownload(engine, body({ deviceId: phoneB }))).overwritten).toContainEqual({
      ...entry,
      byDevice: phoneA,
      version: a.cursor,
    })
    // Phone A is not told of its own win as an overwritten value.
    expect((await syncAndDownload(engine, body({ deviceId: phoneA, cursor: b.cursor }))).overwritten).toEqual(
      [],
    )
  })

  it('rule M3: writing the value that is already there, or a field only this device wrote since, reports nothing', async () => {
    const c = await seeded()
    await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), name: 'Same' }] } }),
    )
    const a = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, companies: { modified: [{ ...ref(c), name: 'Same' }] } }),
    )
    expect(a.overwrites).toEqual([])
    const again = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, companies: { modified: [{ ...ref(c), name: 'Mine twice' }] } }),
    )
    expect(again.overwrites).toEqual([])
  })

  it('rule M6: a resend after a lost response returns the same overwrite entries', async () => {
    const c = await seeded()
    await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), email: 'b@example.com' }] } }),
    )
    const wire = body({ deviceId: phoneA, companies: { modified: [{ ...ref(c), email: 'a@example.com' }] } })
    const first = await syncAndDownload(engine, wire)
    expect(first.overwrites).toHaveLength(1)
    const before = await snapshot(db.sql)
    const resent = await syncAndDownload(engine, structuredClone(wire))
    expect(resent.replayed).toBe(true)
    expect(resent.overwrites).toEqual(first.overwrites)
    expect(await snapshot(db.sql)).toEqual(before)
  })

  it('rule M2: a base newer than the server record is refused (400) and changes nothing', async () => {
    const c = await seeded()
    const before = await snapshot(db.sql)
    const ahead = (BigInt(c.base) + 1000n).toString()
    const wire = body({
      deviceId: phoneA,
      companies: { added: [newCompany(-9)], modified: [{ id: c.id, uid: c.uid, base: ahead, name: 'x' }] },
    })
    await expect(engine.sync(parsed(wire))).rejects.toBeInstanceOf(BaseAheadError)
    await expect(engine.sync(parsed(wire))).rejects.toThrow(/companies\.modified\[0\]\.base/)
    const del = body({ deviceId: phoneA, companies: { deleted: [{ id: c.id, uid: c.uid, base: ahead }] } })
    await expect(engine.sync(parsed(del))).rejects.toBeInstanceOf(BaseAheadError)
    expect(await snapshot(db.sql)).toEqual(before)
  })

  it('rule M7: a delete of a record another device edited after the base is applied and both devices are told', async () => {
    const c = await seeded()
    const b = await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), name: 'Edited by B' }] } }),
    )
    const a = await syncAndDownload(engine, body({ deviceId: phoneA, companies: { deleted: [ref(c)] } }))
    expect(byId(a.companies, c.id)).toBeUndefined()
    const entry = {
      entity: 'company',
      id: c.id,
      uid: c.uid,
      field: null,
      replaced: 'Edited by B',
      written: null,
    }
    expect(a.overwrites).toEqual([{ ...entry, byDevice: phoneB, version: a.cursor }])
    const readB = await syncAndDownload(engine, body({ deviceId: phoneB, cursor: b.cursor }))
    expect(readB.overwritten).toEqual([{ ...entry, byDevice: phoneA, version: a.cursor }])
    expect(readB.removed.companies).toContain(c.id)
  })

  it('rule M7: a delete from a base that saw every edit reports nothing', async () => {
    const c = await seeded()
    const b = await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), name: 'Seen' }] } }),
    )
    const seen = byId(b.companies, c.id)?.version ?? ''
    const a = await syncAndDownload(
      engine,
      body({ deviceId: phoneA, companies: { deleted: [{ id: c.id, uid: c.uid, base: seen }] } }),
    )
    expect(a.overwrites).toEqual([])
    expect(a.rejected).toEqual([])
  })

  it('rule M5: overwrites kept for a device are pruned with the receipts', async () => {
    const c = await seeded()
    await syncAndDownload(
      engine,
      body({ deviceId: phoneB, companies: { modified: [{ ...ref(c), website: 'https://b.example' }] } }),
    )
    await syncAndDownload(
      engine,
      body({ deviceId: phoneA, companies: { modified: [{ ...ref(c), website: 'https://a.example' }] } }),
    )
    await db.sql.query(`UPDATE "Overwrite" SET "createdAt" = now() - interval '31 days'`)
    const pruned = await engine.prune()
    expect(pruned.overwritesRemoved).toBeGreaterThan(0)
    expect((await syncAndDownload(engine, body({ deviceId: phoneB }))).overwritten).toEqual([])
  })
})

/** The record as a modify or delete names it, from the base both phones saw. */
const ref = (c: { id: number; uid: string; base: string }) => ({ id: c.id, uid: c.uid, base: c.base })

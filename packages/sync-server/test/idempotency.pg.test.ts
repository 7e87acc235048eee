import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, SyncIdReusedError, type SqlDatabase } from '../src/index.ts'
import {
  barrierAfter,
  body,
  byId,
  count,
  newCompany,
  newContact,
  parsed,
  snapshot,
  spec,
  sync,
  syncAndDownload,
  type Engine,
} from './helpers.ts'

describe.each(testDatabaseKinds())('idempotency on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('rule R9: a resent sync (same deviceId + syncId) after its response was lost is not applied twice', async () => {
    const company = newCompany(-1)
    const contacts = [newContact(-2, -1), newContact(-3, -1)]
    const wire = body({ companies: { added: [company] }, contacts: { added: contacts } })
    const first = await syncAndDownload(engine, wire)
    const before = await snapshot(db.sql)

    const resent = await syncAndDownload(engine, structuredClone(wire))
    expect(resent.replayed).toBe(true)
    expect(resent.companyIdMap).toEqual(first.companyIdMap)
    expect(resent.contactIdMap).toEqual(first.contactIdMap)
    expect(resent.rejected).toEqual(first.rejected)
    expect(await snapshot(db.sql)).toEqual(before)
    expect(await count(db.sql, 'Company', 'uid = $1::uuid', [company.uid])).toBe(1)
  })

  it('rule R9: a resend racing the original (both in flight at once) is applied once', async () => {
    const wire = body({ companies: { added: [newCompany(-1)] }, contacts: { added: [newContact(-2, -1)] } })
    // On Postgres, hold both copies until each has passed the receipt fast path; PGlite runs one transaction at a time.
    const racing =
      kind === 'postgres' ? createServerDataSync(spec, barrierAfter(db.sql, /FROM "SyncReceipt"/, 2)) : engine
    const [a, b] = await Promise.all([sync(racing, wire), sync(racing, structuredClone(wire))])
    expect([a.replayed, b.replayed].sort()).toEqual([false, true])
    expect(a.companyIdMap).toEqual(b.companyIdMap)
    expect(a.contactIdMap).toEqual(b.contactIdMap)
    expect(await count(db.sql, 'Contact', 'uid = $1::uuid', [wire.contacts.added[0]!.uid])).toBe(1)
  })

  it('rule R9: a resend answers with the recorded rejections too', async () => {
    const wire = body({ companies: { modified: [newCompany(2_000_000_000)] } })
    const first = await syncAndDownload(engine, wire)
    expect(first.rejected).toHaveLength(1)
    const resent = await syncAndDownload(engine, wire)
    expect(resent.replayed).toBe(true)
    expect(resent.rejected).toEqual(first.rejected)
  })

  it('rule R9: a stale resend never overwrites a newer write by another device', async () => {
    const created = await syncAndDownload(
      engine,
      body({ companies: { added: [newCompany(-1, { name: 'v0' })] } }),
    )
    const company = byId(created.companies, created.companyIdMap['-1'])!
    const edit = (name: string) => ({ id: company.id, uid: company.uid, name })

    const fromA = body({ companies: { modified: [edit('written by A')] } })
    await syncAndDownload(engine, fromA) // A's response is lost…
    await syncAndDownload(engine, body({ companies: { modified: [edit('written by B, later')] } }))
    const resent = await syncAndDownload(engine, fromA) // …so A resends the same attempt.

    expect(resent.replayed).toBe(true)
    expect(byId(resent.companies, company.id)?.name).toBe('written by B, later')
  })

  it('rule R9: a resend with a different cursor is still recognised as the same attempt', async () => {
    const wire = body({ companies: { added: [newCompany(-1)] } })
    const first = await syncAndDownload(engine, wire)
    const resent = await syncAndDownload(engine, { ...wire, cursor: first.cursor })
    expect(resent).toMatchObject({ replayed: true, companyIdMap: first.companyIdMap, mode: 'delta' })
  })

  it('rule R10: a retry with old + new changes under a NEW syncId creates each uid exactly once', async () => {
    const company = newCompany(-1, { name: 'First try' })
    const contact = newContact(-2, -1)
    const first = await syncAndDownload(
      engine,
      body({ companies: { added: [company] }, contacts: { added: [contact] } }),
    )

    // The device never saw the answer: it still holds both as added, edits the company, adds one more contact.
    const later = newContact(-3, -1)
    const retry = await syncAndDownload(
      engine,
      body({
        companies: { added: [{ ...company, name: 'Second try' }] },
        contacts: { added: [contact, later] },
      }),
    )
    expect(retry.replayed).toBe(false)
    expect(retry.companyIdMap).toEqual(first.companyIdMap)
    expect(retry.contactIdMap['-2']).toBe(first.contactIdMap['-2'])
    expect(retry.contactIdMap['-3']).toBeGreaterThan(0)
    for (const [table, uid] of [
      ['Company', company.uid],
      ['Contact', contact.uid],
      ['Contact', later.uid],
    ] as const) {
      expect(await count(db.sql, table, 'uid = $1::uuid', [uid])).toBe(1)
    }
    expect(byId(retry.companies, retry.companyIdMap['-1'])?.name).toBe('Second try') // applied as an update
  })

  it('rule R9: the same syncId with a different payload is refused with SyncIdReusedError and changes nothing', async () => {
    const wire = body({ companies: { added: [newCompany(-1)] } })
    await syncAndDownload(engine, wire)
    const before = await snapshot(db.sql)
    const reused = { ...wire, companies: { added: [newCompany(-1)], modified: [], deleted: [] } }
    await expect(engine.sync(parsed(reused))).rejects.toBeInstanceOf(SyncIdReusedError)
    // A syncId reused with no changes at all is refused too: it names an attempt that wrote something else.
    await expect(engine.sync(parsed(body({ deviceId: wire.deviceId, syncId: wire.syncId })))).rejects.toThrow(
      /already applied with different changes/,
    )
    expect(await snapshot(db.sql)).toEqual(before)
  })

  it('rule R9: the same syncId from another device is a different attempt', async () => {
    const wire = body({ companies: { added: [newCompany(-1)] } })
    await syncAndDownload(engine, wire)
    const other = await syncAndDownload(engine, {
      ...wire,
      deviceId: randomUUID(),
      companies: { added: [newCompany(-1)], modified: [], deleted: [] },
    })
    expect(other.replayed).toBe(false)
  })
})

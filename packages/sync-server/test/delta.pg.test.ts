import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, type SqlDatabase } from '../src/index.ts'
import {
  body,
  byId,
  newCompany,
  newContact,
  recording,
  ref,
  spec,
  sync,
  syncAndDownload,
  type Engine,
} from './helpers.ts'

describe.each(testDatabaseKinds())('delta sync on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql, { tombstoneRetentionDays: 30, receiptRetentionDays: 30 })
  })
  afterAll(async () => {
    await db?.close()
  })

  it('rule R16: a device gets only what changed since its cursor, and the ids deleted since', async () => {
    const seed = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1), newCompany(-2)] },
        contacts: { added: [newContact(-3, -1), newContact(-4, -2)] },
      }),
    )
    const [a, b] = [
      byId(seed.companies, seed.companyIdMap['-1'])!,
      byId(seed.companies, seed.companyIdMap['-2'])!,
    ]
    const doomed = byId(seed.contacts, seed.contactIdMap['-4'])!
    const device = await syncAndDownload(engine, body()) // device A's full sync
    expect(device.mode).toBe('full')

    const noop = await syncAndDownload(engine, body({ cursor: device.cursor }))
    expect(noop).toMatchObject({
      mode: 'delta',
      cursor: device.cursor,
      companies: [],
      contacts: [],
      removed: { companies: [], contacts: [] },
    })

    // Device B edits one company…
    await syncAndDownload(
      engine,
      body({ companies: { modified: [{ id: a.id, uid: a.uid, name: 'Edited by B' }] } }),
    )
    const afterEdit = await syncAndDownload(engine, body({ cursor: noop.cursor }))
    expect(afterEdit.mode).toBe('delta')
    expect(afterEdit.companies).toEqual([expect.objectContaining({ id: a.id, name: 'Edited by B' })])
    expect(afterEdit.contacts).toEqual([])
    expect(BigInt(afterEdit.cursor)).toBeGreaterThan(BigInt(noop.cursor))

    // …then deletes a contact, and a company with its contacts.
    await syncAndDownload(engine, body({ contacts: { deleted: [ref(doomed)] } }))
    const cascade = await syncAndDownload(engine, body({ companies: { deleted: [ref(a)] } }))
    const afterDelete = await syncAndDownload(engine, body({ cursor: afterEdit.cursor }))
    expect(afterDelete).toMatchObject({ mode: 'delta', companies: [], contacts: [] })
    expect(afterDelete.removed.companies).toEqual([a.id])
    expect(afterDelete.removed.contacts).toEqual([doomed.id, seed.contactIdMap['-3']].sort((x, y) => x! - y!))
    expect(afterDelete.cursor).toBe(cascade.cursor)
    expect(byId(afterDelete.companies, b.id)).toBeUndefined() // untouched rows are not resent
  })

  it('a sync that sends nothing reads its delta in ONE statement, outside any transaction', async () => {
    const { db: recorded, statements } = recording(db.sql)
    let transactions = 0
    const counted: SqlDatabase = {
      query: recorded.query,
      transaction: (fn) => {
        transactions += 1
        return recorded.transaction(fn)
      },
    }
    const watched = createServerDataSync(spec, counted)
    const start = await syncAndDownload(engine, body())
    statements.length = 0
    const noop = await sync(watched, body({ cursor: start.cursor }))
    expect(noop).toMatchObject({ mode: 'delta', companies: [], contacts: [] })
    expect({ statements: statements.length, transactions }).toEqual({ statements: 1, transactions: 0 })

    // The same single statement carries a catch-up: another device's add, edit and delete.
    const seed = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1), newCompany(-2)] },
        contacts: { added: [newContact(-3, -1)] },
      }),
    )
    const [kept, gone] = [
      byId(seed.companies, seed.companyIdMap['-1'])!,
      byId(seed.companies, seed.companyIdMap['-2'])!,
    ]
    await syncAndDownload(engine, body({ companies: { deleted: [ref(gone)] } }))
    statements.length = 0
    const catchUp = await sync(watched, body({ cursor: start.cursor }))
    expect({ statements: statements.length, transactions }).toEqual({ statements: 1, transactions: 0 })
    expect(catchUp.mode).toBe('delta')
    expect(catchUp.companies.map((c) => c.id)).toEqual([kept.id])
    expect(catchUp.companies[0]).toEqual(kept)
    expect(catchUp.contacts.map((c) => c.uid)).toEqual([byId(seed.contacts, seed.contactIdMap['-3'])!.uid])
    // Added and deleted within the window: the device never had it, but a removal is harmless and keeps it simple.
    expect(catchUp.removed.companies).toEqual([gone.id])
    expect(catchUp.cursor).toBe((await syncAndDownload(engine, body())).cursor)
  })

  it('rules R16, G7: a writing sync in delta mode acknowledges its own writes with their server ids, without the echo', async () => {
    const start = await syncAndDownload(engine, body())
    const added = newCompany(-1)
    const res = await syncAndDownload(engine, body({ cursor: start.cursor, companies: { added: [added] } }))
    expect(res.mode).toBe('delta')
    expect(res.companies).toEqual([])
    expect(res.written.companies).toEqual([
      {
        id: res.companyIdMap['-1'],
        uid: added.uid,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: res.cursor,
      },
    ])
  })

  it('rule R15: a cursor the server never issued falls back to a full sync', async () => {
    const res = await syncAndDownload(engine, body({ cursor: '999999999999' }))
    expect(res.mode).toBe('full')
    expect(res.removed).toEqual({ companies: [], contacts: [] })
    expect(res.companies.length).toBeGreaterThan(0)
  })

  it('rule R15: a cursor older than the pruned tombstones falls back to a full sync', async () => {
    const old = await syncAndDownload(engine, body())
    const seed = await syncAndDownload(engine, body({ companies: { added: [newCompany(-1)] } }))
    await syncAndDownload(
      engine,
      body({ companies: { deleted: [ref(byId(seed.companies, seed.companyIdMap['-1'])!)] } }),
    )
    // Age every tombstone and receipt past the retention instead of waiting 30 days.
    await db.sql.query(`UPDATE "Tombstone" SET "deletedAt" = now() - interval '31 days'`)
    await db.sql.query(`UPDATE "SyncReceipt" SET "createdAt" = now() - interval '31 days'`)

    const pruned = await engine.prune()
    expect(pruned.tombstonesRemoved).toBeGreaterThan(0)
    expect(pruned.receiptsRemoved).toBeGreaterThan(0)
    expect(BigInt(pruned.tombstoneFloor)).toBeGreaterThan(BigInt(old.cursor))

    expect((await syncAndDownload(engine, body({ cursor: old.cursor }))).mode).toBe('full')
    const current = await syncAndDownload(engine, body())
    expect((await syncAndDownload(engine, body({ cursor: current.cursor }))).mode).toBe('delta')
  })
})

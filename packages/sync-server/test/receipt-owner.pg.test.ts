import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, SyncIdReusedError, type SqlDatabase } from '../src/index.ts'
import {
  body,
  newCompany,
  newContact,
  parsed,
  snapshot,
  spec,
  syncAndDownload,
  type Engine,
} from './helpers.ts'

describe.each(testDatabaseKinds())('receipts belong to their owner on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  it("rule A9: another owner sending A's deviceId + syncId (same body) is refused and never gets A's id maps", async () => {
    const wire = body({ companies: { added: [newCompany(-1)] }, contacts: { added: [newContact(-2, -1)] } })
    const first = await engine.sync(parsed(wire), { owner: 'account:1' })
    const before = await snapshot(db.sql)

    await expect(engine.sync(parsed(structuredClone(wire)), { owner: 'account:2' })).rejects.toBeInstanceOf(
      SyncIdReusedError,
    )
    // The same with nothing to write (the read-only path checks receipts too).
    const probe = { ...body(), deviceId: wire.deviceId, syncId: wire.syncId }
    await expect(engine.sync(parsed(probe), { owner: 'account:2' })).rejects.toBeInstanceOf(SyncIdReusedError)
    expect(await snapshot(db.sql)).toEqual(before)

    // The owner's own resend is still a replay (rule R9).
    const resent = await engine.sync(parsed(structuredClone(wire)), { owner: 'account:1' })
    expect(resent.replayed).toBe(true)
    expect(resent.companyIdMap).toEqual(first.companyIdMap)
  })

  it('rule A9: a receipt recorded without an owner (before owners were hashed) still answers its resend', async () => {
    const wire = body({ companies: { added: [newCompany(-1)] } })
    const first = await syncAndDownload(engine, wire)
    const resent = await engine.sync(parsed(structuredClone(wire)), { owner: 'account:1' })
    expect(resent.replayed).toBe(true)
    expect(resent.companyIdMap).toEqual(first.companyIdMap)
  })
})

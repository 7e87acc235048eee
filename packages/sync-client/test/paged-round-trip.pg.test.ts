import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { SyncFailure, type WireSyncRequest } from '../src/transport.ts'
import { spec } from './helpers.ts'
import {
  expectDeviceMatchesServer,
  makeSyncedDevice,
  resetServer,
  serverRows,
  startServer,
  type TestServer,
} from './round-trip-harness.ts'

/*
 * The device's paged download against the real server engine with small pages (3 records in the first page, 7 in
 * the others): rules G1–G9 end to end, and the device rules G10–G16.
 */
describe.each(testDatabaseKinds())('paged full sync, client ↔ server, on %s', (kind) => {
  let server: TestServer
  const devices: ReturnType<typeof makeSyncedDevice>[] = []
  const device = (label: string) => {
    const d = makeSyncedDevice(server, label)
    devices.push(d)
    return d
  }
  beforeAll(async () => {
    server = await startServer(kind, { page: { firstRecords: 3, records: 7 } })
  })
  afterAll(async () => {
    await server?.close()
  })
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.db.delete()
    await resetServer(server)
  })

  /** 8 companies with 2 contacts each, made on `writer` offline and sent in one sync (rule G8). */
  async function seed(writer: ReturnType<typeof device>) {
    for (let i = 1; i <= 8; i++) {
      const company = await writer.writes.create('company', { name: `Firm ${i}` })
      await writer.writes.create('contact', { name: `Ann ${i}`, companyId: company.id })
      await writer.writes.create('contact', { name: `Bob ${i}`, companyId: company.id })
    }
    const report = await writer.sync()
    expect(report).toMatchObject({ outcome: 'synced', mode: 'full', rejected: [] })
    // Its own 24 records came back in the pages of the download its write opened, not as an echo.
    expect(writer.transport.sent.length).toBeGreaterThan(2)
    if (report.more) await writer.sync()
    await expectDeviceMatchesServer(writer, server)
  }

  it('rules G1, G2, G5, G9: a write between two pages of a new phone is neither lost nor doubled', async () => {
    const writer = device('writer')
    await seed(writer)
    const phone = device('phone')
    let wrote = false
    phone.wire.beforeServer = async (request) => {
      if (!request.page || wrote) return
      wrote = true
      // Between the phone's first and second page: a rename, an add and a delete elsewhere.
      const firm1 = (await writer.queries.listParents({ search: 'Firm 1' }))[0]!
      await writer.writes.update('company', firm1.uid, { name: 'Firm 1 renamed' })
      await writer.writes.create('company', { name: 'Firm 9' })
      const firm8 = (await writer.queries.listParents({ search: 'Firm 8' }))[0]!
      await writer.writes.remove('company', firm8.uid)
      expect((await writer.sync()).outcome).toBe('synced')
    }
    const download = await phone.sync()
    expect(download).toMatchObject({ outcome: 'synced', mode: 'full', more: true })
    expect(phone.transport.sent.filter((r) => r.page).length).toBeGreaterThan(2)
    // The download holds the snapshot; the catch-up brings what was written during it (rule G5).
    const catchUp = await phone.sync()
    expect(catchUp).toMatchObject({ outcome: 'synced', mode: 'delta' })
    await expectDeviceMatchesServer(phone, server)
    const names = (await phone.queries.listParents()).map((r) => r.name)
    expect(names.filter((n) => String(n).startsWith('Firm 1'))).toEqual(['Firm 1 renamed'])
    expect(names).toContain('Firm 9')
    expect(names).not.toContain('Firm 8')
  })

  it('rules G9, G11: a download cut after two pages resumes from the stored token and ends equal to the server', async () => {
    const writer = device('writer')
    await seed(writer)
    const phone = device('phone')
    let asked = 0
    phone.wire.beforeServer = async () => {
      asked += 1
      if (asked === 3) throw new SyncFailure('network', 'connection lost')
    }
    const cut = await phone.sync()
    expect(cut).toMatchObject({ outcome: 'failed', error: { kind: 'network' } })
    // Two pages stored (the first of 3 records), with their count and the next token beside them.
    const stored = (await phone.db.parents.count()) + (await phone.db.children.count())
    expect(stored).toBeGreaterThan(3)
    expect(stored).toBeLessThan(24)
    expect((await phone.db.meta.get('download'))?.value).toMatchObject({ stored, total: 24 })
    const token = phone.transport.sent.at(-1)!.page
    expect(token).toBeTruthy()

    const resumed = await phone.sync()
    expect(resumed.outcome).toBe('synced')
    expect(phone.transport.sent[3]).toMatchObject({ cursor: null, page: token })
    expect((await phone.db.parents.count()) + (await phone.db.children.count())).toBe(24)
    await phone.sync()
    await expectDeviceMatchesServer(phone, server)
  })

  it('rules G4, G12: a page request the server refuses, sent while the page before it is stored, ends the download; the next sync starts anew and ends equal to the server', async () => {
    const writer = device('writer')
    await seed(writer)
    const phone = device('phone')
    // The same database through an engine whose second page request carries a token the server cannot read.
    let pageRequests = 0
    const tampering = createSyncEngine({
      db: phone.db,
      spec,
      lock: memorySyncLock(),
      transport: async (request: WireSyncRequest) => {
        if (request.page && ++pageRequests === 2) return phone.transport({ ...request, page: 'AAAA' })
        return phone.transport(request)
      },
    })
    const refused = await tampering.sync('startup')
    expect(refused).toMatchObject({ outcome: 'failed', error: { kind: 'bad_request' } })
    // The first two pages were stored (the second while the third was refused); the refused request and the
    // download's state are gone.
    const stored = (await phone.db.parents.count()) + (await phone.db.children.count())
    expect(stored).toBe(refused.received.companies! + refused.received.contacts!)
    expect(stored).toBeGreaterThan(3)
    expect(stored).toBeLessThan(24)
    expect(await phone.db.meta.get('download')).toBeUndefined()
    expect(await phone.db.outbox.count()).toBe(0)

    const again = await phone.sync()
    expect(again).toMatchObject({ outcome: 'synced', mode: 'full', more: true })
    // It began at page one (no token), not at the refused token.
    expect(phone.transport.sent[3]).toMatchObject({ cursor: null })
    expect(phone.transport.sent[3]?.page).toBeUndefined()
    await phone.sync()
    await expectDeviceMatchesServer(phone, server)
  })

  it('rules G7, G15: an edit is acknowledged, not echoed: the server version lands on the record, its fields untouched', async () => {
    const writer = device('writer')
    await seed(writer)
    const firm2 = (await writer.queries.listParents({ search: 'Firm 2' }))[0]!
    await writer.writes.update('company', firm2.uid, { phone: '+1 555 0102' })
    const report = await writer.sync()
    expect(report).toMatchObject({
      outcome: 'synced',
      mode: 'delta',
      received: { companies: 0, contacts: 0 },
    })
    const local = await writer.db.parents.get(firm2.uid)
    const [row] = (await server.sql.query<{ version: string }>(
      `SELECT version::text AS version FROM "Company" WHERE uid = $1`,
      [firm2.uid],
    )) as { version: string }[]
    expect(local).toMatchObject({ phone: '+1 555 0102', isModified: false, version: row!.version })
    expect(local?._pending).toBeUndefined()
    await expectDeviceMatchesServer(writer, server)
    expect((await serverRows(server)).companies).toHaveLength(8)
  })
})

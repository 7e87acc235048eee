import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { createLocalDatabase } from '../src/local-database.ts'
import { createSyncEngine } from '../src/sync-engine.ts'
import { fakeIndexedDb, gate } from './helpers.ts'
import {
  expectDeviceMatchesServer,
  inProcessTransport,
  makeSyncedDevice,
  serverRows,
  startServer,
  type TestServer,
} from './round-trip-harness.ts'

describe.each(testDatabaseKinds())('client ↔ server round trips on %s', (kind) => {
  let server: TestServer
  const devices: ReturnType<typeof makeSyncedDevice>[] = []
  const device = (label = 'rt') => {
    const d = makeSyncedDevice(server, label)
    devices.push(d)
    return d
  }
  beforeAll(async () => {
    server = await startServer(kind)
  })
  afterAll(async () => {
    await server?.close()
  })
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.db.delete()
  })

  it('an offline company with two contacts syncs: server ids, companyId remapped, flags clean', async () => {
    const d = device()
    const acme = await d.writes.create('company', { name: 'Acme', email: 'hi@acme.test' })
    const ann = await d.writes.create('contact', { name: 'Ann', companyId: acme.id })
    const bob = await d.writes.create('contact', { name: 'Bob', companyId: acme.id, jobTitle: 'CTO' })

    const report = await d.sync()
    expect(report).toMatchObject({
      outcome: 'synced',
      mode: 'full',
      replayed: false,
      rejected: [],
      sent: {
        companies: { added: 1, modified: 0, deleted: 0 },
        contacts: { added: 2, modified: 0, deleted: 0 },
      },
    })
    const companyId = report.idMaps.company?.['-1']
    expect(companyId).toBeGreaterThan(0)
    const company = await d.queries.getParent(acme.uid)
    expect(company).toMatchObject({
      id: companyId,
      isFromServer: true,
      isModified: false,
      isActive: true,
      syncError: null,
    })
    const contacts = await d.queries.listChildren(companyId as number)
    expect(contacts.map((c) => [c.uid, c.name, c.companyId, c.isFromServer, c.isModified])).toEqual([
      [ann.uid, 'Ann', companyId, true, false],
      [bob.uid, 'Bob', companyId, true, false],
    ])
    expect(await d.queries.pendingCount()).toBe(0)
    expect(await d.db.outbox.count()).toBe(0)
    const state = await d.queries.syncState()
    expect(state.cursor).toMatch(/^\d+$/)
    expect(state.lastSyncedAt).not.toBeNull()
    await expectDeviceMatchesServer(d, server)
  })

  it('edits, creates and deletes made while the request is in flight survive and stay pending with mapped ids', async () => {
    const d = device()
    const acme = await d.writes.create('company', { name: 'Acme' })
    const keep = await d.writes.create('contact', { name: 'Keep', companyId: acme.id })
    const doomed = await d.writes.create('contact', { name: 'Doomed', companyId: acme.id })
    const inFlight = gate()
    const reached = gate()
    d.wire.beforeServer = async () => {
      reached.open()
      await inFlight.opened
    }
    const syncing = d.sync()
    await reached.opened
    // While the request is on the wire:
    await d.writes.update('company', acme.uid, { phone: '+1 555 0100' }) // edit a record being added
    const late = await d.writes.create('contact', { name: 'Late', companyId: acme.id }) // child of the new parent
    await d.writes.remove('contact', doomed.uid) // delete a record being added
    inFlight.open()
    const report = await syncing
    expect(report.outcome).toBe('synced')
    const companyId = report.idMaps.company?.['-1'] as number

    expect(await d.queries.getParent(acme.uid)).toMatchObject({
      id: companyId,
      phone: '+1 555 0100',
      isFromServer: true,
      isModified: true,
    })
    expect(await d.queries.getChild(late.uid)).toMatchObject({ id: late.id, companyId, isFromServer: false })
    expect(await d.queries.getChild(doomed.uid)).toMatchObject({
      id: report.idMaps.contact?.[String(doomed.id)],
      isFromServer: true,
      isActive: false,
    })
    expect(await d.queries.getChild(keep.uid)).toMatchObject({ isFromServer: true, isModified: false })
    expect(await d.queries.pendingCount()).toBe(3)

    d.wire.beforeServer = undefined
    const second = await d.sync()
    expect(second).toMatchObject({
      outcome: 'synced',
      rejected: [],
      sent: {
        companies: { added: 0, modified: 1, deleted: 0 },
        contacts: { added: 1, modified: 0, deleted: 1 },
      },
    })
    expect(await d.queries.pendingCount()).toBe(0)
    expect((await serverRows(server)).contacts.map((c) => c.name).sort()).toEqual(
      expect.arrayContaining(['Keep', 'Late']),
    )
    await expectDeviceMatchesServer(d, server)
  })

  it('a lost response: the next sync resends the same syncId, the server replays, nothing is duplicated', async () => {
    const d = device()
    const acme = await d.writes.create('company', { name: 'Lost Co' })
    await d.writes.create('contact', { name: 'Ann', companyId: acme.id })
    d.wire.loseResponse = true
    const lost = await d.sync()
    expect(lost).toMatchObject({ outcome: 'failed', error: { kind: 'timeout', retryable: true } })
    expect(await d.queries.getParent(acme.uid)).toMatchObject({ id: -1, isFromServer: false })

    // Edited meanwhile: the resend stays byte-identical, the edit goes in the sync after.
    await d.writes.update('company', acme.uid, { website: 'https://lost.test' })
    d.wire.loseResponse = false
    const resent = await d.sync()
    expect(resent).toMatchObject({ outcome: 'synced', resent: true, replayed: true, syncId: lost.syncId })
    expect(d.transport.sent[1]).toEqual(d.transport.sent[0])
    expect(await d.queries.getParent(acme.uid)).toMatchObject({ isFromServer: true, isModified: true })
    const after = await d.sync()
    expect(after).toMatchObject({ outcome: 'synced', resent: false, sent: { companies: { modified: 1 } } })
    expect(after.syncId).not.toBe(lost.syncId)

    const rows = await serverRows(server)
    expect(rows.companies.filter((c) => c.uid === acme.uid)).toHaveLength(1)
    expect(
      rows.contacts.filter(
        (c) => c.name === 'Ann' && c.companyId === rows.companies.find((x) => x.uid === acme.uid)?.id,
      ),
    ).toHaveLength(1)
    await expectDeviceMatchesServer(d, server)
  })

  it('the outbox survives a reload: a new engine on the same database resends the same request', async () => {
    const d = device()
    await d.writes.create('company', { name: 'Reload Co' })
    d.wire.loseResponse = true
    const lost = await d.sync()
    d.db.close()
    const reopened = createLocalDatabase(d.db.spec, d.db.name, fakeIndexedDb)
    const engine = createSyncEngine({
      db: reopened,
      spec: reopened.spec,
      transport: inProcessTransport(server),
    })
    const report = await engine.sync('startup')
    expect(report).toMatchObject({ outcome: 'synced', syncId: lost.syncId, replayed: true })
    reopened.close()
    await d.db.open()
  })

  it('a rejected change is kept with its reason, excluded from later syncs, and goes again once edited', async () => {
    const a = device('a')
    const b = device('b')
    await a.writes.create('company', { name: 'Shared' })
    await a.sync()
    await b.sync()
    const [shared] = await b.queries.listParents()
    // b deletes it; a, not knowing, edits it.
    await b.writes.remove('company', shared!.uid)
    await b.sync()
    await a.writes.update('company', shared!.uid, { name: 'Shared, edited' })
    const report = await a.sync()
    expect(report.rejected).toEqual([
      expect.objectContaining({ entity: 'company', uid: shared!.uid, code: 'not_found' }),
    ])
    const kept = await a.queries.getParent(shared!.uid)
    expect(kept).toMatchObject({ name: 'Shared, edited', isModified: true, syncError: { code: 'not_found' } })
    expect(kept?.syncError?.reason).toMatch(/\w/)
    expect(await a.queries.needsAttention()).toHaveLength(1)

    const next = await a.sync()
    expect(next.sent.companies).toEqual({ added: 0, modified: 0, deleted: 0 })
    expect(await a.queries.getParent(shared!.uid)).toMatchObject({ syncError: { code: 'not_found' } })

    await a.writes.discard('company', shared!.uid)
    expect(await a.queries.needsAttention()).toEqual([])
    await a.sync()
    await expectDeviceMatchesServer(a, server)
  })

  it('a refused add keeps its negative id and waits for the user; discarding it removes it', async () => {
    const a = device('a')
    const b = device('b')
    await b.writes.create('company', { name: 'Parent' })
    await b.sync()
    await a.sync()
    const [parent] = await a.queries.listParents({ search: 'Parent' })
    // The parent goes on the server before a's child add reaches it.
    await a.writes.create('contact', { name: 'Orphan', companyId: parent!.id })
    await b.writes.remove('company', parent!.uid)
    await b.sync()
    const report = await a.sync()
    expect(report.rejected).toEqual([
      expect.objectContaining({ entity: 'contact', code: 'parent_not_found' }),
    ])
    const next = await a.sync()
    expect(next.sent.contacts).toEqual({ added: 0, modified: 0, deleted: 0 })
    const [orphan] = (await a.queries.needsAttention()).map((x) => x.record)
    expect(orphan).toMatchObject({
      name: 'Orphan',
      isFromServer: false,
      syncError: { code: 'parent_not_found' },
    })
    expect(orphan!.id).toBeLessThan(0)
    await a.writes.discard('contact', orphan!.uid)
    await a.sync()
    await expectDeviceMatchesServer(a, server)
  })

  it('a 400 naming records marks them invalid and drops the outbox; the rest goes in the next sync', async () => {
    const d = device()
    const good = await d.writes.create('company', { name: 'Good' })
    const bad = await d.writes.create('company', { name: 'Bad' })
    // Smuggle in a value the server refuses (local validation would stop it): too long.
    await d.db.parents.update(bad.uid, { address: 'x'.repeat(501) })
    const refused = await d.sync()
    expect(refused).toMatchObject({ outcome: 'failed', error: { kind: 'bad_request', retryable: false } })
    expect(await d.db.outbox.count()).toBe(0)
    expect(await d.queries.getParent(bad.uid)).toMatchObject({ syncError: { code: 'invalid' } })
    expect((await d.queries.getParent(bad.uid))?.syncError?.reason).toMatch(/Address must be at most 500/)
    const next = await d.sync()
    expect(next).toMatchObject({ outcome: 'synced', sent: { companies: { added: 1 } } })
    expect(await d.queries.getParent(good.uid)).toMatchObject({ isFromServer: true })
    expect(await d.queries.getParent(bad.uid)).toMatchObject({ id: bad.id, isFromServer: false })
  })

  it("delta sync: another device's edit and delete arrive; a no-op delta changes nothing", async () => {
    const a = device('a')
    const b = device('b')
    const one = await a.writes.create('company', { name: 'One' })
    const two = await a.writes.create('company', { name: 'Two' })
    const ann = await a.writes.create('contact', { name: 'Ann', companyId: one.id })
    const zed = await a.writes.create('contact', { name: 'Zed', companyId: two.id })
    await a.sync()
    const first = await b.sync()
    expect(first.mode).toBe('full')

    await a.writes.update('company', one.uid, { name: 'One, renamed' })
    await a.writes.update('contact', ann.uid, { jobTitle: 'Boss' })
    await a.writes.remove('company', two.uid)
    await a.sync()

    const delta = await b.sync()
    expect(delta).toMatchObject({ outcome: 'synced', mode: 'delta', received: { companies: 1, contacts: 1 } })
    expect((await b.queries.getParent(one.uid))?.name).toBe('One, renamed')
    expect(await b.queries.getParent(two.uid)).toBeUndefined()
    expect((await b.queries.getChild(ann.uid))?.jobTitle).toBe('Boss')
    expect(await b.queries.getChild(zed.uid)).toBeUndefined() // went with its company
    await expectDeviceMatchesServer(b, server)

    const snapshot = async () => ({
      parents: await b.db.parents.toArray(),
      children: await b.db.children.toArray(),
    })
    const before = await snapshot()
    const noop = await b.sync()
    expect(noop).toMatchObject({ mode: 'delta', received: { companies: 0, contacts: 0 } })
    expect(await snapshot()).toEqual(before)
  })

  it('deleting a company sends one delete; its contacts go with it on the server and here', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'Gone' })
    await d.writes.create('contact', { name: 'A', companyId: c.id })
    await d.writes.create('contact', { name: 'B', companyId: c.id })
    await d.sync()
    await d.writes.remove('company', c.uid)
    expect(await d.queries.pendingCount()).toBe(3)
    const report = await d.sync()
    expect(report).toMatchObject({
      rejected: [],
      sent: { companies: { deleted: 1 }, contacts: { added: 0, modified: 0, deleted: 0 } },
    })
    expect(await d.queries.pendingCount()).toBe(0)
    await expectDeviceMatchesServer(d, server)
  })

  it('a contact moved here to another company and deleted with it is deleted on the server too', async () => {
    const d = device()
    const a = await d.writes.create('company', { name: 'Move A' })
    const b = await d.writes.create('company', { name: 'Move B' })
    const moved = await d.writes.create('contact', { name: 'Mover', companyId: a.id })
    const report = await d.sync()
    await d.writes.update('contact', moved.uid, { companyId: report.idMaps.company?.[String(b.id)] })
    await d.writes.remove('company', b.uid)
    const second = await d.sync()
    expect(second).toMatchObject({
      rejected: [],
      sent: { companies: { deleted: 1 }, contacts: { deleted: 1 } },
    })
    expect((await serverRows(server)).contacts.filter((c) => c.uid === moved.uid)).toEqual([])
    await expectDeviceMatchesServer(d, server)
  })

  it('a contact another device moved away survives the delete of its old company, here and on the server', async () => {
    const a = device('a')
    const b = device('b')
    const oldHome = await a.writes.create('company', { name: 'Old home' })
    const newHome = await a.writes.create('company', { name: 'New home' })
    const contact = await a.writes.create('contact', { name: 'Traveller', companyId: oldHome.id })
    const seeded = await a.sync()
    await b.sync()
    await b.writes.update('contact', contact.uid, { companyId: seeded.idMaps.company?.[String(newHome.id)] })
    await b.sync()
    await a.writes.remove('company', oldHome.uid) // a still sees the contact under the old company
    await a.sync()
    expect((await serverRows(server)).contacts.filter((c) => c.uid === contact.uid)).toHaveLength(1)
    expect(await a.queries.getChild(contact.uid)).toMatchObject({ isActive: true, isFromServer: true })
    await expectDeviceMatchesServer(a, server)
  })

  it('an unanswered pull is rebuilt, so changes made offline since go with the next sync', async () => {
    const d = device()
    d.wire.loseResponse = true
    const lost = await d.sync()
    d.wire.loseResponse = false
    await d.writes.create('company', { name: 'Made offline' })
    const next = await d.sync()
    expect(next).toMatchObject({ outcome: 'synced', resent: false, sent: { companies: { added: 1 } } })
    expect(next.syncId).not.toBe(lost.syncId)
  })

  it('after resending an old request, the report says more changes wait', async () => {
    const d = device()
    await d.writes.create('company', { name: 'First' })
    d.wire.loseResponse = true
    await d.sync()
    d.wire.loseResponse = false
    await d.writes.create('company', { name: 'Second' })
    const resent = await d.sync()
    expect(resent).toMatchObject({ outcome: 'synced', resent: true, more: true })
    const next = await d.sync()
    expect(next).toMatchObject({ resent: false, more: false, sent: { companies: { added: 1 } } })
    await expectDeviceMatchesServer(d, server)
  })
})

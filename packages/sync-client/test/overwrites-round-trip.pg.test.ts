import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { createOverwriteActions, listOverwrites } from '../src/overwrite-notices.ts'
import {
  expectDeviceMatchesServer,
  makeSyncedDevice,
  serverRows,
  startServer,
  type TestServer,
} from './round-trip-harness.ts'

/*
 * Issue 14 on two devices against the real server engine: field-level merge (rules M1, M2), kept overwrites on
 * both devices (M4, M5, M8) and the two answers to one, Keep mine and Use theirs.
 */
describe.each(testDatabaseKinds())('field-level merge and kept overwrites on %s', (kind) => {
  let server: TestServer
  const devices: ReturnType<typeof makeSyncedDevice>[] = []
  const device = (label: string) => {
    const d = makeSyncedDevice(server, label)
    devices.push(d)
    return { ...d, overwrites: createOverwriteActions(d.db, d.writes) }
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

  /** One company on the server and on phones A and B. */
  async function twoPhones(name: string) {
    const a = device('a')
    const b = device('b')
    const company = await a.writes.create('company', { name, phone: '+1 555 0100' })
    await a.sync()
    await b.sync()
    return { a, b, uid: company.uid }
  }
  const nameOnServer = async (uid: string) => (await serverRows(server)).companies.find((c) => c.uid === uid)

  it('rules M1, M2: the issue case — A changes the phone offline, B renames and syncs, both edits are kept on both', async () => {
    const { a, b, uid } = await twoPhones('Acme')
    await a.writes.update('company', uid, { phone: '+1 555 0199' })
    await b.writes.update('company', uid, { name: 'Acme Ltd' })
    expect((await b.sync()).rejected).toEqual([])
    const report = await a.sync()
    expect(report.overwrites).toEqual([])
    // A sent only what it changed, from the base it had.
    const modified = (a.transport.sent.at(-1)?.companies as { modified: Record<string, unknown>[] }).modified
    expect(modified).toEqual([
      { id: expect.any(Number), uid, base: expect.any(String), phone: '+1 555 0199' },
    ])
    await b.sync()
    expect(await nameOnServer(uid)).toMatchObject({ name: 'Acme Ltd', phone: '+1 555 0199' })
    await expectDeviceMatchesServer(a, server)
    await expectDeviceMatchesServer(b, server)
    expect(await listOverwrites(a.db)).toEqual([])
    expect(await listOverwrites(b.db)).toEqual([])
  })

  /** A and B rename the same company; B syncs first, so A's later name wins and replaces B's. */
  async function clash() {
    const p = await twoPhones('Clash Co')
    await p.a.writes.update('company', p.uid, { name: 'Name from A' })
    await p.b.writes.update('company', p.uid, { name: 'Name from B' })
    await p.b.sync()
    const report = await p.a.sync()
    await p.b.sync()
    return { ...p, report }
  }

  it('rules M3, M4, M5: a same-field clash: the later arrival wins and both devices keep the overwrite', async () => {
    const { a, b, uid, report } = await clash()
    expect(await nameOnServer(uid)).toMatchObject({ name: 'Name from A' })
    const about = { entity: 'company', uid, field: 'name', replaced: 'Name from B', written: 'Name from A' }
    expect(report.overwrites).toEqual([expect.objectContaining({ ...about, side: 'mine' })])
    expect(await listOverwrites(a.db, uid)).toEqual([expect.objectContaining({ ...about, side: 'mine' })])
    expect(await listOverwrites(b.db, uid)).toEqual([expect.objectContaining({ ...about, side: 'theirs' })])
    await expectDeviceMatchesServer(b, server)
  })

  it('rule M8: "Use theirs" on the writer is an ordinary edit that syncs the other value back', async () => {
    const { a, b, uid } = await clash()
    const [entry] = await listOverwrites(a.db, uid)
    await a.overwrites.useTheirs(entry!.key)
    expect(await listOverwrites(a.db)).toEqual([])
    expect((await a.queries.getParent(uid))?.name).toBe('Name from B')
    expect((await a.sync()).rejected).toEqual([])
    expect(await nameOnServer(uid)).toMatchObject({ name: 'Name from B' })
    await b.sync()
    await expectDeviceMatchesServer(b, server)
  })

  it('rule M8: "Keep mine" on the writer only dismisses it; nothing is sent', async () => {
    const { a, uid } = await clash()
    const [entry] = await listOverwrites(a.db, uid)
    await a.overwrites.keepMine(entry!.key)
    expect(await listOverwrites(a.db)).toEqual([])
    const report = await a.sync()
    expect(report.sent.companies).toEqual({ added: 0, modified: 0, deleted: 0 })
    // A full sync lists the kept entry again: it stays dismissed.
    await a.db.meta.put({ key: 'cursor', value: null })
    await a.sync()
    expect(await listOverwrites(a.db)).toEqual([])
  })

  it('rule M8: on the device whose value went, "Keep mine" writes it again, and that is no new overwrite', async () => {
    const { a, b, uid } = await clash()
    const [entry] = await listOverwrites(b.db, uid)
    await b.overwrites.keepMine(entry!.key)
    expect(await listOverwrites(b.db)).toEqual([])
    expect((await b.queries.getParent(uid))?.name).toBe('Name from B')
    const report = await b.sync()
    // B had seen A's value (its base is A's write): restoring its own is an ordinary later edit (rule M3).
    expect(report.overwrites).toEqual([])
    expect(await nameOnServer(uid)).toMatchObject({ name: 'Name from B' })
    await a.sync()
    expect((await listOverwrites(a.db, uid)).map((o) => o.side)).toEqual(['mine'])
    await expectDeviceMatchesServer(a, server)
  })

  it('rule M8: on the device whose value went, "Use theirs" only dismisses; nothing is sent', async () => {
    const { b, uid } = await clash()
    const [entry] = await listOverwrites(b.db, uid)
    await b.overwrites.useTheirs(entry!.key)
    expect(await listOverwrites(b.db)).toEqual([])
    expect((await b.queries.getParent(uid))?.name).toBe('Name from A')
    expect((await b.sync()).sent.companies).toEqual({ added: 0, modified: 0, deleted: 0 })
    await expectDeviceMatchesServer(b, server)
  })

  it('rule M7: a delete against an edit made elsewhere is applied and shown on both devices', async () => {
    const { a, b, uid } = await twoPhones('Deleted Co')
    await b.writes.update('company', uid, { phone: '+1 555 0111' })
    await b.sync()
    await a.writes.remove('company', uid)
    const report = await a.sync()
    expect(report.rejected).toEqual([])
    expect(report.overwrites).toEqual([expect.objectContaining({ side: 'mine', uid, field: null })])
    await b.sync()
    expect(await listOverwrites(b.db, uid)).toEqual([
      expect.objectContaining({ side: 'theirs', uid, field: null, replaced: 'Deleted Co' }),
    ])
    expect(await b.queries.getParent(uid)).toBeFalsy()
  })

  it('rule M1: an edit made while a sync is in flight is moved onto the newer server record, fields kept', async () => {
    const { a, b, uid } = await twoPhones('Rebase Co')
    await b.writes.update('company', uid, { name: 'Renamed by B' })
    await b.sync()
    // A edits the phone while its (empty) sync is in flight; the response brings B's rename.
    a.wire.beforeServer = async () => {
      await a.writes.update('company', uid, { phone: '+1 555 0122' })
    }
    await a.sync()
    a.wire.beforeServer = undefined
    const here = await a.queries.getParent(uid)
    expect(here).toMatchObject({ name: 'Renamed by B', phone: '+1 555 0122', changed: ['phone'] })
    expect((await a.sync()).overwrites).toEqual([])
    expect(await nameOnServer(uid)).toMatchObject({ name: 'Renamed by B', phone: '+1 555 0122' })
  })
})

import { describe, expect, it } from 'vitest'
import { carryPendingChanges } from '../src/carry-pending-changes.ts'
import type { LocalRecord } from '../src/local-database.ts'
import { isPending } from '../src/stored-record.ts'
import { attentionDevices, putRecord, type AttentionDevice } from './attention-device.ts'

const device = attentionDevices('carry')

/** A server record as both copies of the device hold it after the same sync. */
async function onBoth(
  source: AttentionDevice,
  target: AttentionDevice,
  record: Partial<LocalRecord> & { id: number },
) {
  const written = await putRecord(source, 'company', { name: `Server ${record.id}`, ...record })
  await putRecord(target, 'company', written)
  return written
}

const companies = (d: AttentionDevice) => d.db.parents.toArray()
const contacts = (d: AttentionDevice) => d.db.children.toArray()

describe('carryPendingChanges', () => {
  it("renumbers the source's adds from the target's counter; their contacts follow the new id", async () => {
    const source = device()
    const target = device()
    const acme = await source.writes.create('company', { name: 'Acme' })
    await source.writes.create('contact', { name: 'Ann', companyId: acme.id })
    const mine = await target.writes.create('company', { name: 'Mine' })
    await target.writes.create('contact', { name: 'Mo', companyId: mine.id })
    expect(acme.id).toBe(mine.id) // the overlap the uids resolve

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 1, children: 1 })

    const carried = (await companies(target)).find((r) => r.uid === acme.uid)!
    expect(carried).toMatchObject({ name: 'Acme', isFromServer: false, isActive: true })
    expect(carried.id).toBeLessThan(Math.min(mine.id, -2))
    const ann = (await contacts(target)).find((r) => r.name === 'Ann')!
    expect(ann.companyId).toBe(carried.id)
    expect((await contacts(target)).find((r) => r.name === 'Mo')!.companyId).toBe(mine.id)
    expect(await target.queries.pendingCount()).toBe(4)
    // The next local write takes an id no carried record has.
    const next = await target.writes.create('company', { name: 'After' })
    expect((await companies(target)).filter((r) => r.id === next.id)).toHaveLength(1)
  })

  it("an edit or delete of a record the target holds as the server sent it becomes the target's change", async () => {
    const source = device()
    const target = device()
    const edited = await onBoth(source, target, { id: 10 })
    const deleted = await onBoth(source, target, { id: 11 })
    await source.writes.update('company', edited.uid, { phone: '+1 555 0101' })
    await source.writes.remove('company', deleted.uid)

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 2, children: 0 })

    expect(await target.queries.getParent(edited.uid)).toMatchObject({
      id: 10,
      phone: '+1 555 0101',
      isFromServer: true,
      isModified: true,
      isActive: true,
    })
    expect(await target.db.parents.get(deleted.uid)).toMatchObject({ id: 11, isActive: false })
  })

  it("keeps the target's own pending change of the same record: it was made later", async () => {
    const source = device()
    const target = device()
    const both = await onBoth(source, target, { id: 12 })
    await source.writes.update('company', both.uid, { name: 'Older edit' })
    await target.writes.update('company', both.uid, { name: 'Newer edit' })

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 0, children: 0 })
    expect((await target.queries.getParent(both.uid))?.name).toBe('Newer edit')
  })

  it('an add the server already has (same uid) is an edit of it only where the fields differ', async () => {
    const source = device()
    const target = device()
    const same = await source.writes.create('company', { name: 'Arrived' })
    const changed = await source.writes.create('company', { name: 'Arrived Then Edited' })
    await source.writes.create('contact', { name: 'Under Arrived', companyId: same.id })
    // The target got both from the server: the source's sync went through, its answer never came back.
    await putRecord(target, 'company', { ...same, id: 20, isFromServer: true })
    await putRecord(target, 'company', {
      ...changed,
      id: 21,
      isFromServer: true,
      name: 'Arrived Before Edit',
    })

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 1, children: 1 })

    expect(await target.db.parents.get(same.uid)).toMatchObject({ id: 20, isModified: false })
    expect(await target.db.parents.get(changed.uid)).toMatchObject({
      id: 21,
      name: 'Arrived Then Edited',
      isModified: true,
    })
    expect((await contacts(target))[0]).toMatchObject({
      name: 'Under Arrived',
      companyId: 20,
      isFromServer: false,
    })
  })

  it('a server record the target does not hold keeps its id; an add deleted before it was sent is not carried', async () => {
    const source = device()
    const target = device()
    const server = await putRecord(source, 'company', { id: 30, name: 'Only In Source' })
    await source.writes.update('company', server.uid, { name: 'Only In Source, Edited' })
    const gone = await putRecord(source, 'company', { id: -7, isFromServer: false, isActive: false })

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 1, children: 0 })
    expect(await target.queries.getParent(server.uid)).toMatchObject({ id: 30, isModified: true })
    expect(await target.db.parents.get(gone.uid)).toBeUndefined()
  })

  it('a ghost parent comes with the contacts kept for it, and stays listed as one', async () => {
    const source = device()
    const target = device()
    const at = new Date().toISOString()
    const ghost = await putRecord(source, 'company', {
      id: 40,
      name: 'Deleted Elsewhere',
      syncError: { code: 'not_found', reason: 'Another device deleted it', at },
    })
    await source.db.meta.put({ key: 'ghostParents', value: [ghost.uid] })
    await putRecord(source, 'contact', { id: -3, isFromServer: false, companyId: 40, name: 'Kept Kid' })

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 1, children: 1 })

    const carried = await target.db.parents.get(ghost.uid)
    expect(carried).toMatchObject({ id: 40, syncError: { code: 'not_found' } })
    expect(isPending(carried!)).toBe(false)
    expect((await target.db.meta.get('ghostParents'))?.value).toEqual([ghost.uid])
    expect((await contacts(target))[0]).toMatchObject({ name: 'Kept Kid', companyId: 40 })
    expect((await target.db.meta.get('refresh'))?.value).toBe(true)
  })

  it("a contact's unchanged company comes with it only where the target lacks it; then the next sync is full", async () => {
    const source = device()
    const target = device()
    // Deleted on the server since the target's last sync: the target never got it, the source still has it.
    const gone = await putRecord(source, 'company', { id: 50, name: 'Gone Since' })
    const shared = await onBoth(source, target, { id: 51 })
    await source.writes.create('contact', { name: 'Under Gone', companyId: gone.id })
    await source.writes.create('contact', { name: 'Under Shared', companyId: shared.id })

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 1, children: 2 })
    expect(await target.db.parents.get(gone.uid)).toMatchObject({ id: 50, isModified: false })
    expect((await target.db.parents.get(shared.uid))?.rev).toBe(shared.rev)
    expect((await target.db.meta.get('refresh'))?.value).toBe(true)

    // With every parent already in the target, its next sync stays a delta.
    const again = device()
    await putRecord(again, 'company', shared)
    const other = device()
    await putRecord(other, 'company', shared)
    await other.writes.create('contact', { name: 'Only Shared', companyId: shared.id })
    await carryPendingChanges(other.db, again.db)
    expect(await again.db.meta.get('refresh')).toBeUndefined()
  })

  it('an add deleted before it was sent is left behind, and the deletes under it still go, pointing at nothing', async () => {
    const source = device()
    const target = device()
    // The target's own add takes local id -5 too: nothing carried may end up under it.
    await putRecord(target, 'company', { id: -5, isFromServer: false, name: 'Target Own' })
    await putRecord(source, 'company', { id: -5, isFromServer: false, isActive: false, name: 'Deleted Add' })
    await putRecord(source, 'contact', { id: -6, isFromServer: false, isActive: false, companyId: -5 })
    const moved = await putRecord(source, 'contact', {
      ...{ id: 60, isModified: true, isActive: false, companyId: -5, name: 'Moved Then Deleted' },
    })

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 0, children: 1 })
    expect(await target.db.children.toArray()).toEqual([
      expect.objectContaining({ uid: moved.uid, id: 60, isActive: false, companyId: null }),
    ])
  })

  it('writes nothing the second time: every record it carried is pending in the target', async () => {
    const source = device()
    const target = device()
    const acme = await source.writes.create('company', { name: 'Acme' })
    await source.writes.create('contact', { name: 'Ann', companyId: acme.id })
    await carryPendingChanges(source.db, target.db)
    const before = await companies(target)

    expect(await carryPendingChanges(source.db, target.db)).toEqual({ parents: 0, children: 0 })
    expect(await companies(target)).toEqual(before)
    expect(await contacts(target)).toHaveLength(1)
  })

  it('refuses a broken source (a contact under a local company it does not hold) and changes nothing', async () => {
    const source = device()
    const target = device()
    await source.writes.create('company', { name: 'Fine' })
    await putRecord(source, 'contact', { id: -9, isFromServer: false, companyId: -99, name: 'Lost' })

    await expect(carryPendingChanges(source.db, target.db)).rejects.toThrow('refers to company -99')
    expect(await companies(target)).toEqual([])
    expect(await contacts(target)).toEqual([])
  })
})

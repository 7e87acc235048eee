import { describe, expect, it } from 'vitest'
import { LocalRecordNotFoundError, LocalValidationError } from '../src/local-writes.ts'
import { attentionDevices, putRecord, type AttentionDevice } from './attention-device.ts'

const device = attentionDevices('attention')
type Device = AttentionDevice
const refusal = (code: string) => ({ code, reason: `refused: ${code}`, at: '2026-01-01T00:00:00Z' })

const put = putRecord

/** This device after a sync in which another device had deleted company 5: its edits and contacts refused. */
async function deletedElsewhere(d: Device) {
  const company = await put(d, 'company', {
    id: 5,
    name: 'Acme',
    phone: '+1 555',
    isModified: true,
    rev: 2,
    syncError: refusal('not_found'),
  })
  const added = await put(d, 'contact', { id: -3, companyId: 5, syncError: refusal('parent_not_found') })
  const edited = await put(d, 'contact', {
    id: 8,
    companyId: 5,
    isModified: true,
    rev: 1,
    syncError: refusal('parent_not_found'),
  })
  const deleted = await put(d, 'contact', { id: 9, companyId: 5, isActive: false, rev: 1 })
  return { company, added, edited, deleted }
}

describe('the attention list', () => {
  it('groups children by the parent the server will not take, and lists other refusals alone', async () => {
    const d = device()
    const { company, added, edited } = await deletedElsewhere(d)
    const ghost = await put(d, 'contact', { id: -4, companyId: 77, syncError: refusal('parent_not_found') })
    const fine = await put(d, 'company', { id: 6 })
    const gone = await put(d, 'contact', {
      id: 10,
      companyId: 6,
      isModified: true,
      syncError: refusal('not_found'),
    })
    const invalid = await put(d, 'company', { id: -9, syncError: refusal('invalid') })
    const waiting = await put(d, 'contact', {
      id: -10,
      companyId: -9,
      syncError: refusal('parent_not_found'),
    })
    await put(d, 'contact', { id: -11, companyId: 6 }) // pending but fine: not listed

    const entries = await d.actions.list()
    const summary = entries.map((e) =>
      e.kind === 'refused'
        ? [e.kind, e.record.uid]
        : [e.kind, e.parentId, e.parent?.uid ?? null, e.children.map((c) => c.uid).sort()],
    )
    expect(summary).toEqual(
      expect.arrayContaining([
        ['orphans', 5, company.uid, [added.uid, edited.uid].sort()],
        ['orphans', 77, null, [ghost.uid]],
        ['orphans', -9, invalid.uid, [waiting.uid]],
        ['refused', invalid.uid],
        ['refused', gone.uid],
      ]),
    )
    expect(entries).toHaveLength(5)
    expect(JSON.stringify(entries)).not.toContain(fine.uid)
  })
})

describe('attention actions', () => {
  it('moveChildren moves every contact of a deleted company; a server contact is sent again as an add', async () => {
    const d = device()
    const { company, added, edited, deleted } = await deletedElsewhere(d)
    const target = await put(d, 'company', { id: 6, name: 'Target' })

    expect(await d.actions.moveChildren({ parentId: company.id }, target.uid)).toBe(2)

    const addedNow = await d.queries.getChild(added.uid)
    expect(addedNow).toMatchObject({ id: -3, companyId: 6, isFromServer: false, syncError: null, rev: 1 })
    const editedNow = await d.queries.getChild(edited.uid)
    expect(editedNow).toMatchObject({ companyId: 6, isFromServer: false, isModified: false, syncError: null })
    expect(editedNow?.id).toBeLessThan(0)
    // The delete was cascaded by the server already: nothing left to send for it.
    expect(await d.queries.getChild(deleted.uid)).toBeUndefined()
    expect((await d.actions.list()).map((e) => e.kind)).toEqual(['orphans']) // the company itself is left
    expect(await d.db.children.where('_pending').equals(1).count()).toBe(2)
  })

  it('moveChildren by uids keeps a server contact under a live company a modify', async () => {
    const d = device()
    const from = await put(d, 'company', { id: 6 })
    const to = await put(d, 'company', { id: 7 })
    const kid = await put(d, 'contact', { id: 12, companyId: 6 })
    expect(await d.actions.moveChildren({ childUids: [kid.uid] }, to.uid)).toBe(1)
    expect(await d.queries.getChild(kid.uid)).toMatchObject({ id: 12, companyId: 7, isModified: true })
    expect(await d.queries.listChildren(from.id)).toEqual([])
  })

  it('moveChildren refuses a deleted or refused target and writes nothing', async () => {
    const d = device()
    const { company, added } = await deletedElsewhere(d)
    const tombstone = await put(d, 'company', { id: 6, isActive: false })
    const refused = await put(d, 'company', { id: -7, syncError: refusal('invalid') })
    await expect(d.actions.moveChildren({ parentId: 5 }, tombstone.uid)).rejects.toBeInstanceOf(
      LocalRecordNotFoundError,
    )
    await expect(d.actions.moveChildren({ parentId: 5 }, refused.uid)).rejects.toThrow(/fix it first/)
    await expect(d.actions.moveChildren({ parentId: 5 }, company.uid)).rejects.toThrow(/fix it first/)
    expect(await d.queries.getChild(added.uid)).toMatchObject({ companyId: 5, rev: 0 })
  })

  it('recreateParent turns a company deleted elsewhere into an add with its edits, its contacts following', async () => {
    const d = device()
    const { company, added, edited, deleted } = await deletedElsewhere(d)

    const created = await d.actions.recreateParent(company.uid)

    expect(created).toMatchObject({ uid: company.uid, name: 'Acme', phone: '+1 555', isFromServer: false })
    expect(created.id).toBeLessThan(0)
    expect(await d.queries.getParent(company.uid)).toMatchObject({ id: created.id, syncError: null })
    expect(await d.db.parents.where('id').equals(5).count()).toBe(0)
    expect(await d.queries.getChild(added.uid)).toMatchObject({ companyId: created.id, syncError: null })
    expect(await d.queries.getChild(edited.uid)).toMatchObject({ companyId: created.id, isFromServer: false })
    expect(await d.queries.getChild(deleted.uid)).toBeUndefined()
    expect(await d.actions.list()).toEqual([])
  })

  it('recreateParent refuses invalid fields and a record that is not on the server, writing nothing', async () => {
    const d = device()
    const { company } = await deletedElsewhere(d)
    await expect(d.actions.recreateParent(company.uid, { name: '' })).rejects.toBeInstanceOf(
      LocalValidationError,
    )
    const fresh = await d.writes.create('company', { name: 'Fresh' })
    await expect(d.actions.recreateParent(fresh.uid)).rejects.toThrow(/not on the server yet/)
    await expect(d.actions.recreateParent('no-such-uid')).rejects.toBeInstanceOf(LocalRecordNotFoundError)
    expect(await d.queries.getParent(company.uid)).toMatchObject({ id: 5, syncError: { code: 'not_found' } })
  })

  it('recreateMissingParent creates a company from typed fields and moves the ghost contacts under it', async () => {
    const d = device()
    const ghost = await put(d, 'contact', { id: -4, companyId: 77, syncError: refusal('parent_not_found') })
    const created = await d.actions.recreateMissingParent(77, { name: 'Rebuilt' })
    expect(created).toMatchObject({ name: 'Rebuilt', isFromServer: false })
    expect(await d.queries.getChild(ghost.uid)).toMatchObject({ companyId: created.id, syncError: null })
    await expect(d.actions.recreateMissingParent(created.id, { name: 'x' })).rejects.toThrow(
      /still on this device/,
    )
    await expect(d.actions.recreateMissingParent(78, { name: '' })).rejects.toBeInstanceOf(
      LocalValidationError,
    )
    expect(await d.queries.countParents()).toBe(1)
  })

  it('recreate sends a contact deleted elsewhere again as an add under its own company', async () => {
    const d = device()
    await put(d, 'company', { id: 6 })
    const gone = await put(d, 'contact', {
      id: 10,
      companyId: 6,
      isModified: true,
      syncError: refusal('not_found'),
    })
    const again = await d.actions.recreate('contact', gone.uid)
    expect(again).toMatchObject({ uid: gone.uid, companyId: 6, isFromServer: false, syncError: null })
    expect(again.id).toBeLessThan(0)
  })

  it('an invalid refusal survives a move: the fields still need a fix', async () => {
    const d = device()
    const to = await put(d, 'company', { id: 6 })
    const kid = await put(d, 'contact', { id: -2, companyId: 77, syncError: refusal('invalid') })
    await d.actions.moveChildren({ childUids: [kid.uid] }, to.uid)
    expect(await d.queries.getChild(kid.uid)).toMatchObject({ companyId: 6, syncError: { code: 'invalid' } })
    const fixed = await d.actions.resolveFixed('contact', kid.uid, { name: 'Fixed' })
    expect(fixed).toMatchObject({ name: 'Fixed', syncError: null })
  })

  it('discardOrphans throws away the ghost contacts and the local copy of the deleted company', async () => {
    const d = device()
    const { company, added, edited } = await deletedElsewhere(d)
    expect(await d.actions.discardOrphans(5)).toBe(3)
    expect(await d.queries.getParent(company.uid)).toBeUndefined()
    expect(await d.queries.getChild(added.uid)).toBeUndefined()
    expect(await d.queries.getChild(edited.uid)).toBeUndefined()
    expect(await d.actions.list()).toEqual([])
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { LocalRecordNotFoundError, LocalValidationError } from '../src/local-writes.ts'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { emptyResponse, makeDevice, spec } from './helpers.ts'

const devices: ReturnType<typeof makeDevice>[] = []
const device = () => {
  const d = makeDevice('writes')
  devices.push(d)
  return d
}
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

/** Puts a record in the state "as the server sent it", as a sync would. */
async function serverCompany(d: ReturnType<typeof makeDevice>, id: number, name: string) {
  const uid = crypto.randomUUID()
  await d.db.parents.put({
    uid,
    id,
    name,
    address: null,
    phone: null,
    email: null,
    website: null,
    createdAt: 'x',
    updatedAt: 'x',
    version: '1',
    isFromServer: true,
    isModified: false,
    isActive: true,
    rev: 0,
    syncError: null,
    _sort: name.toLowerCase(),
  })
  return uid
}

describe('local writes keep the sync flags right', () => {
  it('a created record is an add: negative id, fresh uid, isFromServer false', async () => {
    const d = device()
    const a = await d.writes.create('company', { name: 'Acme' })
    const b = await d.writes.create('company', { name: 'Beta' })
    expect(a).toMatchObject({
      id: -1,
      isFromServer: false,
      isModified: false,
      isActive: true,
      syncError: null,
    })
    expect(b.id).toBe(-2)
    expect(a.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.uid).not.toBe(b.uid)
    expect(await d.queries.pendingCount()).toBe(2)
  })

  it('negative ids are shared by both tables and never reused', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'Acme' })
    const k = await d.writes.create('contact', { name: 'Ann', companyId: c.id })
    await d.writes.remove('contact', k.uid)
    const k2 = await d.writes.create('contact', { name: 'Bob', companyId: c.id })
    expect([c.id, k.id, k2.id]).toEqual([-1, -2, -3])
  })

  it('unknown fields are stripped and empty strings become null', async () => {
    const d = device()
    const c = await d.writes.create('company', {
      name: 'Acme',
      email: '',
      hacker: 'x',
      id: 99,
      isFromServer: true,
    })
    expect(c).not.toHaveProperty('hacker')
    expect(c.id).toBe(-1)
    expect(c.isFromServer).toBe(false)
    expect(c.email).toBeNull()
  })

  it('invalid fields are refused with the same messages as the server, and nothing is written', async () => {
    const d = device()
    const err = await d.writes.create('company', { name: ' ', email: 'nope' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LocalValidationError)
    expect((err as LocalValidationError).fieldErrors).toEqual({
      name: 'Name is required',
      email: 'Email must be an email address like name@example.com',
    })
    expect(await d.queries.countParents()).toBe(0)
    expect(await d.queries.pendingCount()).toBe(0)
  })

  it("a child's parent key must reference an existing active local parent", async () => {
    const d = device()
    const missing = await d.writes.create('contact', { name: 'Ann', companyId: -42 }).catch((e: unknown) => e)
    expect((missing as LocalValidationError).fieldErrors).toEqual({
      companyId: 'The company no longer exists',
    })
    const none = await d.writes.create('contact', { name: 'Ann' }).catch((e: unknown) => e)
    expect((none as LocalValidationError).fieldErrors).toEqual({ companyId: 'Choose a company' })
    const c = await d.writes.create('company', { name: 'Acme' })
    const k = await d.writes.create('contact', { name: 'Ann', companyId: c.id })
    await d.writes.remove('company', c.uid)
    const moved = await d.writes.create('contact', { name: 'Bob', companyId: c.id }).catch((e: unknown) => e)
    expect(moved).toBeInstanceOf(LocalValidationError)
    expect(await d.queries.getChild(k.uid)).toBeUndefined()
  })

  it('editing an add keeps it an add; every write bumps rev', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'Acme' })
    const edited = await d.writes.update('company', c.uid, { phone: '+1 555 0100' })
    expect(edited).toMatchObject({
      name: 'Acme',
      phone: '+1 555 0100',
      isFromServer: false,
      isModified: false,
      rev: 2,
    })
  })

  it('editing a server record marks it modified and clears its sync error', async () => {
    const d = device()
    const uid = await serverCompany(d, 7, 'Acme')
    await d.db.parents.update(uid, { syncError: { code: 'invalid', reason: 'bad', at: 'x' } })
    const edited = await d.writes.update('company', uid, { name: 'Acme Ltd' })
    expect(edited).toMatchObject({
      id: 7,
      isFromServer: true,
      isModified: true,
      isActive: true,
      syncError: null,
      rev: 1,
    })
    expect(await d.queries.pendingCount()).toBe(1)
  })

  it('an update cannot smuggle in flags, ids or unknown fields, and validates the merged record', async () => {
    const d = device()
    const uid = await serverCompany(d, 7, 'Acme')
    const edited = await d.writes.update('company', uid, { id: 1, isModified: false, rev: 99, foo: 1 })
    expect(edited).toMatchObject({ id: 7, isModified: true, rev: 1 })
    expect(edited).not.toHaveProperty('foo')
    await expect(d.writes.update('company', uid, { name: null })).rejects.toBeInstanceOf(LocalValidationError)
    await expect(d.writes.update('company', crypto.randomUUID(), { name: 'x' })).rejects.toBeInstanceOf(
      LocalRecordNotFoundError,
    )
  })

  it('deleting a never-synced record removes it; deleting a server record leaves a tombstone', async () => {
    const d = device()
    const local = await d.writes.create('company', { name: 'Local' })
    const uid = await serverCompany(d, 7, 'Server')
    await d.writes.remove('company', local.uid)
    await d.writes.remove('company', uid)
    expect(await d.queries.getParent(local.uid)).toBeUndefined()
    expect(await d.queries.getParent(uid)).toMatchObject({
      id: 7,
      isFromServer: true,
      isActive: false,
      rev: 1,
    })
    expect(await d.queries.listParents()).toEqual([])
    expect(await d.queries.pendingCount()).toBe(1)
    await d.writes.remove('company', uid) // twice is harmless
    expect((await d.queries.getParent(uid))?.rev).toBe(1)
  })

  it('deleting a parent deletes its children, each by the same rule', async () => {
    const d = device()
    const uid = await serverCompany(d, 7, 'Server')
    const kept = await d.db.children.put({
      uid: crypto.randomUUID(),
      id: 70,
      companyId: 7,
      name: 'On server',
      jobTitle: null,
      email: null,
      phone: null,
      isFromServer: true,
      isModified: false,
      isActive: true,
      rev: 0,
      syncError: null,
      _sort: 'on server',
    })
    const fresh = await d.writes.create('contact', { name: 'New', companyId: 7 })
    await d.writes.remove('company', uid)
    expect(await d.queries.getChild(kept)).toMatchObject({ isActive: false, isFromServer: true })
    expect(await d.queries.getChild(fresh.uid)).toBeUndefined()
    expect(await d.queries.listChildren(7)).toEqual([])
  })

  it('a record in the in-flight request is kept as a tombstone when deleted, so its delete can follow', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'Sent' })
    await d.db.outbox.put({
      key: 'current',
      request: { deviceId: crypto.randomUUID(), syncId: crypto.randomUUID() },
      sentRevs: { [c.uid]: c.rev },
      createdAt: 'x',
    })
    await d.writes.remove('company', c.uid)
    expect(await d.queries.getParent(c.uid)).toMatchObject({ id: -1, isFromServer: false, isActive: false })
  })

  it('discarding a never-synced add deletes it with its children', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'New' })
    const k = await d.writes.create('contact', { name: 'Ann', companyId: c.id })
    await d.writes.discard('company', c.uid)
    expect(await d.queries.getParent(c.uid)).toBeUndefined()
    expect(await d.queries.getChild(k.uid)).toBeUndefined()
  })

  it('discarding a server record change reverts its flags and asks for a full sync', async () => {
    const d = device()
    const uid = await serverCompany(d, 7, 'Acme')
    await d.writes.update('company', uid, { name: 'Changed' })
    await d.db.meta.put({ key: 'cursor', value: '5' })
    await d.writes.discard('company', uid)
    expect(await d.queries.getParent(uid)).toMatchObject({
      isModified: false,
      isActive: true,
      syncError: null,
    })
    expect(await d.queries.pendingCount()).toBe(0)
    expect((await d.db.meta.get('refresh'))?.value).toBe(true)
  })

  it('discarding a not_found change deletes the record here: the server no longer has it', async () => {
    const d = device()
    const uid = await serverCompany(d, 7, 'Gone')
    await d.db.parents.put({
      ...(await d.db.parents.get(uid))!,
      isModified: true,
      _pending: 1,
      syncError: { code: 'not_found', reason: 'deleted elsewhere', at: 'x' },
    })
    expect(await d.queries.needsAttention()).toHaveLength(1)
    await d.writes.discard('company', uid)
    expect(await d.queries.getParent(uid)).toBeUndefined()
    expect(await d.queries.needsAttention()).toEqual([])
  })

  it('fixing a refused new parent lets its parent_not_found children go again', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'New' })
    const k = await d.writes.create('contact', { name: 'Ann', companyId: c.id })
    const error = { code: 'parent_not_found', reason: 'x', at: 'x' }
    await d.db.children.update(k.uid, { syncError: error })
    await d.db.parents.update(c.uid, { syncError: { ...error, code: 'invalid' } })
    await d.writes.update('company', c.uid, { name: 'Fixed' })
    expect((await d.queries.getChild(k.uid))?.syncError).toBeNull()
  })
})

describe('a company acknowledged while a screen still holds its local id', () => {
  it('a contact added, moved or imported under the former local id goes under the server id the sync gave it', async () => {
    const d = device()
    const acme = await d.writes.create('company', { name: 'Acme' })
    const other = await d.writes.create('company', { name: 'Other' })
    const answers: unknown[] = [
      {
        ...emptyResponse('5'),
        mode: 'delta',
        companyIdMap: { [String(acme.id)]: 42, [String(other.id)]: 43 },
      },
    ]
    const engine = createSyncEngine({
      db: d.db,
      spec,
      transport: async () => answers.shift(),
      lock: memorySyncLock(),
    })
    expect((await engine.sync('manual')).outcome).toBe('synced')
    expect((await d.queries.getParent(acme.uid))?.id).toBe(42)

    // The form read acme.id (negative) before the sync; it submits now.
    const ann = await d.writes.create('contact', { name: 'Ann', companyId: acme.id })
    expect(ann.companyId).toBe(42)
    const moved = await d.writes.update('contact', ann.uid, { companyId: other.id })
    expect(moved.companyId).toBe(43)
    const [bob] = await d.writes.createMany('contact', [{ name: 'Bob', companyId: acme.id }])
    expect(bob?.companyId).toBe(42)
    // A local id nobody was given is still refused.
    await expect(d.writes.create('contact', { name: 'Cy', companyId: -999 })).rejects.toThrow(
      /no longer exists/,
    )
  })
})

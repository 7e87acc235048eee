import { afterEach, describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { createLocalDatabase } from '../src/local-database.ts'
import { fakeIndexedDb, makeDevice, spec } from './helpers.ts'

const devices: ReturnType<typeof makeDevice>[] = []
const device = () => {
  const d = makeDevice('queries')
  devices.push(d)
  return d
}
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

describe('local queries', () => {
  it('lists active parents by name, case-insensitively, with search, offset and limit', async () => {
    const d = device()
    for (const name of ['delta', 'Alpha', 'charlie', 'Bravo', 'alpha two'])
      await d.writes.create('company', { name })
    const gone = await d.writes.create('company', { name: 'Aaa deleted' })
    await d.writes.remove('company', gone.uid)
    const names = async (opts?: Parameters<typeof d.queries.listParents>[0]) =>
      (await d.queries.listParents(opts)).map((r) => r.name)
    expect(await names()).toEqual(['Alpha', 'alpha two', 'Bravo', 'charlie', 'delta'])
    expect(await names({ offset: 1, limit: 2 })).toEqual(['alpha two', 'Bravo'])
    expect(await names({ search: 'ALPH' })).toEqual(['Alpha', 'alpha two'])
    expect(await d.queries.countParents()).toBe(5)
    expect(await names({ search: ' alpha t ', offset: 0, limit: 5 })).toEqual(['alpha two'])
    expect(await names({ search: 'a', offset: 1, limit: 1 })).toEqual(['alpha two'])
    expect(await d.queries.countParents({ search: 'a' })).toBe(2) // the deleted "Aaa deleted" is not counted
    expect(await d.queries.countParents({ search: 'arl' })).toBe(0) // a prefix of the name, not a substring
    expect(await d.queries.countParents({ search: '  ' })).toBe(5)
  })

  it('orders by the folded name: accents, case and ß sort where a person looks for them, not after "z"', async () => {
    const d = device()
    for (const name of ['Zeta', 'Élan Vital', 'eagle', 'Ölmühle', 'Straße Süd', 'Strasse Nord', 'Oak'])
      await d.writes.create('company', { name })
    const names = async (opts?: Parameters<typeof d.queries.listParents>[0]) =>
      (await d.queries.listParents(opts)).map((r) => r.name)
    expect(await names()).toEqual([
      'eagle',
      'Élan Vital',
      'Oak',
      'Ölmühle',
      'Strasse Nord',
      'Straße Süd',
      'Zeta',
    ])
    expect(await names({ search: 'ela' })).toEqual(['Élan Vital'])
    expect(await names({ search: 'ÖL' })).toEqual(['Ölmühle'])
  })

  it('an existing version-3 database gets folded sort keys on upgrade to 4, written only where they change', async () => {
    const name = `sort-upgrade-${crypto.randomUUID()}`
    const v3 = new Dexie(name, fakeIndexedDb)
    const key = 'companyId'
    v3.version(3).stores({
      companies: 'uid, &id, _sort, _pending, *_words, _changed, _snapshot',
      contacts: `uid, &id, _sort, _pending, ${key}, [${key}+_sort], *_words, _snapshot`,
      outbox: 'key',
      meta: 'key',
    })
    const base = { createdAt: 'x', updatedAt: 'x', version: '1', isFromServer: true, isModified: false }
    await v3.table('companies').bulkPut([
      { ...base, id: 1, uid: 'u1', name: 'Zeta', isActive: true, _sort: 'zeta' },
      { ...base, id: 2, uid: 'u2', name: 'Élan', isActive: true, _sort: 'élan' },
      { ...base, id: 3, uid: 'u3', name: 'Gone', isActive: false },
    ])
    await v3
      .table('contacts')
      .put({ ...base, id: 4, uid: 'u4', name: 'Öz', companyId: 2, isActive: true, _sort: 'öz' })
    v3.close()

    const db = createLocalDatabase(spec, name, fakeIndexedDb)
    try {
      expect(db.verno).toBe(4)
      expect((await db.parents.orderBy('_sort').toArray()).map((r) => r._sort)).toEqual(['elan', 'zeta'])
      expect((await db.parents.get('u3'))?._sort).toBeUndefined()
      // Only changed keys are written: the rewritten record got its search words on the way (the middleware), the
      // ASCII one, whose key was already folded, was not touched.
      expect((await db.parents.get('u2'))?._words).toEqual(['elan'])
      expect((await db.parents.get('u1'))?._words).toBeUndefined()
      expect((await db.children.get('u4'))?._sort).toBe('oz')
    } finally {
      await db.delete()
    }
  })

  it('search is a name prefix read from the index, follows renames, and returns records without index keys', async () => {
    const d = device()
    const acme = await d.writes.create('company', { name: 'Acme', email: 'sales@acme.test' })
    expect(await d.queries.listParents({ search: 'SALES@' })).toEqual([]) // other fields are not searched
    const [found] = await d.queries.listParents({ search: 'ACM' })
    expect(found?.name).toBe('Acme')
    expect(Object.keys(found ?? {}).filter((k) => k.startsWith('_'))).toEqual([])
    await d.writes.update('company', acme.uid, { name: 'Zenith' })
    expect(await d.queries.countParents({ search: 'acm' })).toBe(0)
    expect((await d.queries.listParents({ search: 'zen' })).map((r) => r.uid)).toEqual([acme.uid])
    // The index range, not a scan: a search never reads records outside it.
    const seen: string[] = []
    d.db.parents.hook('reading', (record) => {
      seen.push(String(record.name))
      return record
    })
    await d.writes.create('company', { name: 'Other' })
    seen.length = 0
    await d.queries.listParents({ search: 'zen' })
    expect(seen).toEqual(['Zenith'])
  })

  it('lists the active children of one parent by name; a rename re-sorts', async () => {
    const d = device()
    const a = await d.writes.create('company', { name: 'A' })
    const b = await d.writes.create('company', { name: 'B' })
    await d.writes.create('contact', { name: 'Zed', companyId: a.id })
    const ann = await d.writes.create('contact', { name: 'ann', companyId: a.id })
    await d.writes.create('contact', { name: 'Other', companyId: b.id })
    expect((await d.queries.listChildren(a.id)).map((r) => r.name)).toEqual(['ann', 'Zed'])
    await d.writes.update('contact', ann.uid, { name: 'Zz' })
    expect((await d.queries.listChildren(a.id)).map((r) => r.name)).toEqual(['Zed', 'Zz'])
    await d.writes.update('contact', ann.uid, { companyId: b.id })
    expect((await d.queries.listChildren(b.id)).map((r) => r.name)).toEqual(['Other', 'Zz'])
  })

  it('pending count, needs-attention and sync state', async () => {
    const d = device()
    const c = await d.writes.create('company', { name: 'A' })
    await d.writes.create('contact', { name: 'Ann', companyId: c.id })
    expect(await d.queries.pendingCount()).toBe(2)
    await d.db.parents.update(c.uid, { syncError: { code: 'invalid', reason: 'no', at: 'x' } })
    const attention = await d.queries.needsAttention()
    expect(attention).toHaveLength(1)
    expect(attention[0]).toMatchObject({
      entity: 'company',
      record: { uid: c.uid, syncError: { reason: 'no' } },
    })
    const state = await d.queries.syncState()
    expect(state).toMatchObject({ cursor: null, lastSyncedAt: null })
    expect(state.deviceId).toMatch(/^[0-9a-f-]{36}$/)
    expect((await d.queries.syncState()).deviceId).toBe(state.deviceId)
  })
})

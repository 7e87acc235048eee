import { afterEach, describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { createLocalSearch } from '../src/search-records.ts'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { createLocalDatabase } from '../src/local-database.ts'
import { matchesAll, queryWords, recordWords } from '../src/search-words.ts'
import { emptyResponse, fakeIndexedDb, makeDevice, spec } from './helpers.ts'

const devices: ReturnType<typeof makeDevice>[] = []
const device = () => {
  const d = makeDevice('search')
  devices.push(d)
  return { ...d, search: createLocalSearch(d.db, spec) }
}
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

const names = (group: { records: Record<string, unknown>[] }) => group.records.map((r) => r.name)

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const serverRecord = (id: number, updatedAt: string, fields: Record<string, unknown>) => ({
  id,
  uid: uid(id),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt,
  version: '1',
  isFromServer: true,
  isModified: false,
  isActive: true,
  ...fields,
})
const company = (id: number, name: string, updatedAt = '2026-01-01T00:00:00.000Z') =>
  serverRecord(id, updatedAt, { name, address: null, phone: null, email: null, website: null })
const contact = (id: number, companyId: number, fields: Record<string, unknown>) =>
  serverRecord(id, '2026-01-01T00:00:00.000Z', {
    companyId,
    jobTitle: null,
    email: null,
    phone: null,
    ...fields,
  })

describe('search over companies and contacts', () => {
  it('finds a later word, an e-mail, phone digits and accents; results in two groups with each contact’s company', async () => {
    const d = device()
    const owl = await d.writes.create('company', { name: 'Night Owl Bakery', address: '4 Église Street' })
    const other = await d.writes.create('company', { name: 'Owlish Optics' })
    await d.writes.create('contact', {
      name: 'Zoë Quinn',
      email: 'zoe.q@nightowl.test',
      phone: '+44 20 7946-0958',
      jobTitle: 'Head Baker',
      companyId: owl.id,
    })
    await d.writes.create('contact', { name: 'Bob Baker', companyId: other.id })

    const bakery = await d.search.search('Bakery', { limit: 10 })
    expect(names(bakery.parents)).toEqual(['Night Owl Bakery'])
    expect(names(bakery.children)).toEqual([])

    const owlResults = await d.search.search('owl', { limit: 10 })
    expect(names(owlResults.parents)).toEqual(['Night Owl Bakery', 'Owlish Optics'])
    expect(names(owlResults.children)).toEqual([]) // "nightowl" in the e-mail is one word, not starting "owl"

    const byEmail = await d.search.search('zoe.q@night', { limit: 10 })
    expect(names(byEmail.children)).toEqual(['Zoë Quinn'])
    const zoe = byEmail.children.records[0]
    expect(byEmail.parentsById.get(zoe?.companyId as number)?.name).toBe('Night Owl Bakery')

    expect(names((await d.search.search('79460958', { limit: 10 })).children)).toEqual(['Zoë Quinn'])
    expect(names((await d.search.search('020 7946', { limit: 10 })).children)).toEqual([])
    expect(names((await d.search.search('20 7946 09', { limit: 10 })).children)).toEqual(['Zoë Quinn'])
    expect(names((await d.search.search('ZOE', { limit: 10 })).children)).toEqual(['Zoë Quinn'])
    expect(names((await d.search.search('eglise', { limit: 10 })).parents)).toEqual(['Night Owl Bakery'])
    expect(names((await d.search.search('baker', { limit: 10 })).children)).toEqual([
      'Bob Baker',
      'Zoë Quinn',
    ])
    expect(names((await d.search.search('head bak', { limit: 10 })).children)).toEqual(['Zoë Quinn'])
    expect(names((await d.search.search('akery', { limit: 10 })).parents)).toEqual([])
    const nothing = await d.search.search('   ', { limit: 10 })
    expect([nothing.parents.records, nothing.children.records]).toEqual([[], []])
  })

  it('follows edits and deletes, returns records without index keys, and says when more match than the limit', async () => {
    const d = device()
    const a = await d.writes.create('company', { name: 'Alpha Works' })
    await d.writes.create('company', { name: 'Alpine Works' })
    await d.writes.create('company', { name: 'Albatross Works' })
    const found = await d.search.search('works', { limit: 2 })
    expect(found.parents.records).toHaveLength(2)
    expect(found.parents.more).toBe(true)
    expect(Object.keys(found.parents.records[0] ?? {}).filter((k) => k.startsWith('_'))).toEqual([])
    await d.writes.update('company', a.uid, { name: 'Zenith' })
    expect(names((await d.search.search('alp', { limit: 5 })).parents)).toEqual(['Alpine Works'])
    expect(names((await d.search.search('zen', { limit: 5 })).parents)).toEqual(['Zenith'])
    await d.writes.remove('company', a.uid)
    expect(names((await d.search.search('zen', { limit: 5 })).parents)).toEqual([])
  })

  it('indexes the rows a sync applies, and a delta’s edits and removals', async () => {
    const d = device()
    const answers: unknown[] = [
      {
        ...emptyResponse('1'),
        companies: [company(1, 'Harbour Café')],
        contacts: [contact(2, 1, { name: 'Léa Martin', phone: '06 12 34 56 78' })],
      },
      {
        ...emptyResponse('2'),
        mode: 'delta',
        companies: [company(1, 'Harbour Bistro')],
        removed: { companies: [], contacts: [2] },
      },
    ]
    const engine = createSyncEngine({
      db: d.db,
      spec,
      transport: async () => answers.shift(),
      lock: memorySyncLock(),
    })
    expect(await engine.sync('manual')).toMatchObject({ outcome: 'synced' })
    expect(names((await d.search.search('cafe', { limit: 5 })).parents)).toEqual(['Harbour Café'])
    const lea = await d.search.search('0612345678', { limit: 5 })
    expect(names(lea.children)).toEqual(['Léa Martin'])
    expect(lea.parentsById.get(1)?.name).toBe('Harbour Café')
    expect(await engine.sync('manual')).toMatchObject({ outcome: 'synced' })
    expect(names((await d.search.search('cafe', { limit: 5 })).parents)).toEqual([])
    expect(names((await d.search.search('bistro', { limit: 5 })).parents)).toEqual(['Harbour Bistro'])
    expect(names((await d.search.search('lea', { limit: 5 })).children)).toEqual([])
  })

  it('several words find the same records whichever of their ranges are small or large (rarest word first)', async () => {
    const d = makeDevice('search')
    devices.push(d)
    // A first scan of 3 entries; ranges of 4 index entries or more count as large here: "common", "mid" and "person1" are, "rare" is not.
    const search = createLocalSearch(d.db, spec, { firstScan: 3, probes: [2, 4], chunk: 2, keysPerStep: 8 })
    const owner = await d.writes.create('company', { name: 'Owner Co' })
    const uids: string[] = []
    for (let i = 0; i < 24; i++) {
      const { uid } = await d.writes.create('contact', {
        name: `Common Person${i}`,
        jobTitle: i % 3 === 0 ? 'Mid Rank' : 'Low Rank',
        email: i % 8 === 0 ? `rare${i}@example.test` : null,
        companyId: owner.id,
      })
      uids.push(uid)
    }
    await d.writes.remove('contact', uids[16]!)
    const everyone = (await d.db.children.toArray()).filter((r) => r.isActive)
    const expected = (query: string) =>
      everyone
        .filter((r) => matchesAll(queryWords(query), recordWords(spec.child, r)))
        .map((r) => r.name)
        .sort()
    const queries = [
      'common rare',
      'rare common',
      'rare example',
      'common mid',
      'mid rare',
      'common mid rare',
      'person1 mid',
      'low r',
    ]
    for (const query of queries) {
      const all = await search.search(query, { limit: 50 })
      expect([query, names(all.children).sort()]).toEqual([query, expected(query)])
      expect(all.children.more).toBe(false)
      const two = await search.search(query, { limit: 2 })
      expect(two.children.records).toHaveLength(Math.min(2, expected(query).length))
      expect(two.children.more).toBe(expected(query).length > 2)
      for (const name of names(two.children)) expect(expected(query)).toContain(name)
    }
    expect(expected('common mid rare')).toEqual(['Common Person0']) // person16 is deleted; person8 is low rank
    expect(expected('person1 mid')).toEqual(['Common Person12', 'Common Person15', 'Common Person18'])
  })

  it('an existing version-1 database gets its search keys on upgrade, its records kept', async () => {
    const name = `search-upgrade-${crypto.randomUUID()}`
    const v1 = new Dexie(name, fakeIndexedDb)
    v1.version(1).stores({
      companies: 'uid, &id, _sort, _pending',
      contacts: 'uid, &id, _sort, _pending, companyId, [companyId+_sort]',
      outbox: 'key',
      meta: 'key',
    })
    const flags = { isFromServer: true, isModified: false, isActive: true, rev: 0, syncError: null }
    await v1.table('companies').bulkPut([
      { ...company(1, 'Ölmühle Nord'), ...flags, _sort: 'ölmühle nord' },
      { ...company(2, 'Gone Ltd'), ...flags, isActive: false, isModified: true, _pending: 1 },
    ])
    await v1.table('contacts').put({ ...contact(3, 1, { name: 'Ines Ito' }), ...flags, _sort: 'ines ito' })
    v1.close()

    const db = createLocalDatabase(spec, name, fakeIndexedDb)
    devices.push({ db } as ReturnType<typeof makeDevice>)
    const search = createLocalSearch(db, spec)
    expect(names((await search.search('olmuhle', { limit: 5 })).parents)).toEqual(['Ölmühle Nord'])
    expect(names((await search.search('gone', { limit: 5 })).parents)).toEqual([]) // a tombstone
    expect(names((await search.search('ito', { limit: 5 })).children)).toEqual(['Ines Ito'])
    expect(await db.parents.count()).toBe(2)
  })
})

describe('sorted lists', () => {
  it('companies by name or most recently changed: unsent changes first, then the server’s updatedAt', async () => {
    const d = device()
    const answers: unknown[] = [
      {
        ...emptyResponse('1'),
        companies: [
          company(1, 'Old Co', '2026-01-01T00:00:00.000Z'),
          company(2, 'Newer Co', '2026-03-01T00:00:00.000Z'),
          company(3, 'Middle Co', '2026-02-01T00:00:00.000Z'),
        ],
      },
    ]
    const engine = createSyncEngine({
      db: d.db,
      spec,
      transport: async () => answers.shift(),
      lock: memorySyncLock(),
    })
    expect(await engine.sync('manual')).toMatchObject({ outcome: 'synced' })
    const list = async (order: 'name' | 'recent', offset = 0) =>
      (await d.search.listParents(order, { offset, limit: 10 })).map((r) => r.name)
    expect(await list('recent')).toEqual(['Newer Co', 'Middle Co', 'Old Co'])
    const old = (await d.queries.listParents({ search: 'old' }))[0]
    await d.writes.update('company', old?.uid as string, { phone: '123' })
    await d.writes.create('company', { name: 'Brand New' })
    expect((await list('recent')).slice(0, 2).sort()).toEqual(['Brand New', 'Old Co'])
    expect((await list('recent')).slice(2)).toEqual(['Newer Co', 'Middle Co'])
    expect(await list('name')).toEqual(['Brand New', 'Middle Co', 'Newer Co', 'Old Co'])
    expect(await list('name', 3)).toEqual(['Old Co'])
  })

  it('contacts by name or by company name then name, skipping deleted ones', async () => {
    const d = device()
    const zed = await d.writes.create('company', { name: 'Zed Corp' })
    const acme = await d.writes.create('company', { name: 'Acme' })
    await d.writes.create('company', { name: 'Middle (no contacts)' })
    await d.writes.create('contact', { name: 'Anna', companyId: zed.id })
    await d.writes.create('contact', { name: 'Yuri', companyId: acme.id })
    await d.writes.create('contact', { name: 'Bea', companyId: acme.id })
    const gone = await d.writes.create('contact', { name: 'Aaron', companyId: acme.id })
    await d.writes.remove('contact', gone.uid)
    const list = async (order: 'name' | 'parent', limit = 10) =>
      (await d.search.listChildren(order, { limit })).map((r) => r.name)
    expect(await list('name')).toEqual(['Anna', 'Bea', 'Yuri'])
    expect(await list('parent')).toEqual(['Bea', 'Yuri', 'Anna'])
    expect(await list('parent', 2)).toEqual(['Bea', 'Yuri'])
    expect(await d.search.countChildren()).toBe(3)
  })

  it('lists contacts by company across many companies, a batch of companies at a time', async () => {
    const d = device()
    const expected: string[] = []
    for (let i = 0; i < 120; i++) {
      const c = await d.writes.create('company', { name: `Co ${String(i).padStart(3, '0')}` })
      if (i % 3 === 0) {
        await d.writes.create('contact', { name: `Person ${i}`, companyId: c.id })
        expected.push(`Person ${i}`)
      }
    }
    expect((await d.search.listChildren('parent', { limit: 100 })).map((r) => r.name)).toEqual(expected)
    expect((await d.search.listChildren('parent', { limit: 25 })).map((r) => r.name)).toEqual(
      expected.slice(0, 25),
    )
  })
})

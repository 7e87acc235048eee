import { afterEach, describe, expect, it } from 'vitest'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { createLocalDatabase, createLocalQueries, createLocalWrites } from '@offline-sync/sync-client'
import {
  adoptLegacyData,
  adoptOrFallBack,
  LEGACY_DATABASE_NAME,
  LegacyMergeError,
} from './adopt-legacy-data.ts'
import { localDatabaseName, openedDatabaseName } from './stored-account.ts'

const deps = { indexedDB, IDBKeyRange }
const names = async () => (await indexedDB.databases()).map((info) => info.name)
const open = (name: string) => createLocalDatabase(companiesContacts, name, deps)

afterEach(async () => {
  for (const name of await names()) if (name) await open(name).delete()
})

describe('adoptLegacyData', () => {
  it("moves the pre-accounts database, unsent changes and device id included, to the first account's", async () => {
    const legacy = open(LEGACY_DATABASE_NAME)
    await createLocalWrites(legacy, companiesContacts).create('company', { name: 'Made Before Accounts' })
    const deviceId = (await legacy.meta.get('deviceId'))?.value
    legacy.close()

    expect(await adoptLegacyData(5, deps)).toBe(true)

    const adopted = open(localDatabaseName(5))
    const queries = createLocalQueries(adopted, companiesContacts)
    expect(await queries.pendingCount()).toBe(1)
    expect((await adopted.parents.toArray()).map((record) => record.name)).toEqual(['Made Before Accounts'])
    expect((await adopted.meta.get('deviceId'))?.value).toBe(deviceId)
    adopted.close()
    await expect.poll(names).not.toContain(LEGACY_DATABASE_NAME)

    // The next account finds nothing to adopt.
    expect(await adoptLegacyData(6, deps)).toBe(false)
  })

  it('empties the old database before deleting it: one that outlives the delete gives the next account nothing stale', async () => {
    const legacy = open(LEGACY_DATABASE_NAME)
    await createLocalWrites(legacy, companiesContacts).create('company', { name: 'Carried Once' })
    await legacy.meta.put({ key: 'cursor', value: '41' })
    legacy.close()
    // A tab still holding it: the delete never completes.
    const lingering = {
      ...deps,
      indexedDB: Object.assign(Object.create(indexedDB) as IDBFactory, {
        databases: () => indexedDB.databases(),
        open: (name: string, version?: number) => indexedDB.open(name, version),
        deleteDatabase: () => ({}) as IDBOpenDBRequest,
      }),
    }

    expect(await adoptLegacyData(5, lingering)).toBe(true)
    const old = open(LEGACY_DATABASE_NAME)
    expect(
      await Promise.all([old.parents.count(), old.children.count(), old.outbox.count(), old.meta.count()]),
    ).toEqual([0, 0, 0, 0])
    old.close()

    // The next account to open its data copies an empty database: no records, and no cursor, so its first sync is full.
    await adoptLegacyData(6, deps)
    const next = open(localDatabaseName(6))
    expect(await next.parents.count()).toBe(0)
    expect((await next.meta.get('cursor'))?.value ?? null).toBeNull()
    next.close()
  })

  it('does nothing without a legacy database', async () => {
    expect(await adoptLegacyData(5, deps)).toBe(false)
    expect(await names()).toEqual([])
  })

  it("when the account has its own database, carries the old one's unsent changes into it and keeps its data", async () => {
    // The state an earlier build left after a failed copy: the account's database beside the hidden old one.
    const own = open(localDatabaseName(5))
    const ownWrites = createLocalWrites(own, companiesContacts)
    const later = await ownWrites.create('company', { name: 'Made Later' })
    own.close()
    const legacy = open(LEGACY_DATABASE_NAME)
    const legacyWrites = createLocalWrites(legacy, companiesContacts)
    const hidden = await legacyWrites.create('company', { name: 'Hidden Before Accounts' })
    await legacyWrites.create('contact', { name: 'Hidden Contact', companyId: hidden.id })
    legacy.close()
    expect(hidden.id).toBe(later.id)

    expect(await adoptLegacyData(5, deps)).toBe(true)

    const merged = open(localDatabaseName(5))
    const queries = createLocalQueries(merged, companiesContacts)
    expect(await queries.pendingCount()).toBe(3)
    const parents = await merged.parents.toArray()
    expect(parents.map((record) => record.name).sort()).toEqual(['Hidden Before Accounts', 'Made Later'])
    const carried = parents.find((record) => record.uid === hidden.uid)!
    expect(carried.id).not.toBe(later.id)
    expect((await merged.children.toArray()).map((record) => record.companyId)).toEqual([carried.id])
    merged.close()
    await expect.poll(names).not.toContain(LEGACY_DATABASE_NAME)
  })
})

/** sessionStorage as a map, so each test starts from an empty page. */
function pageStorage() {
  const values = new Map<string, string>()
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  }
}

describe('adoptOrFallBack', () => {
  const account = { id: 5, email: 'first@example.test' }

  it('when the copy fails, the page opens the old database itself, and the next start carries it over', async () => {
    const legacy = open(LEGACY_DATABASE_NAME)
    await createLocalWrites(legacy, companiesContacts).create('company', { name: 'Unsent Before Accounts' })
    legacy.close()
    const page = pageStorage()
    const logged: unknown[] = []
    const failing = async () => {
      throw new Error('QuotaExceededError')
    }

    expect(await adoptOrFallBack(5, page, failing, (_m, err) => logged.push(err))).toBe('fallback')
    expect(logged).toEqual([new Error('QuotaExceededError')])
    // What lib/db.ts then opens: the old database, with the unsent change, not an empty one for the account.
    expect(openedDatabaseName(account, page)).toBe(LEGACY_DATABASE_NAME)
    expect(openedDatabaseName({ id: 6, email: 'other@example.test' }, page)).toBe(localDatabaseName(6))
    const opened = open(openedDatabaseName(account, page))
    expect(await createLocalQueries(opened, companiesContacts).pendingCount()).toBe(1)
    opened.close()
    expect(await names()).not.toContain(localDatabaseName(5))

    // Next start: the copy works, the page opens the account's database, which holds the change.
    expect(await adoptOrFallBack(5, page, (id) => adoptLegacyData(id, deps))).toBe('adopted')
    expect(openedDatabaseName(account, page)).toBe(localDatabaseName(5))
    const adopted = open(localDatabaseName(5))
    expect((await adopted.parents.toArray()).map((record) => record.name)).toEqual(['Unsent Before Accounts'])
    adopted.close()
  })

  it("when carrying changes into the account's own database fails, the page still opens that one", async () => {
    const own = open(localDatabaseName(5))
    await createLocalWrites(own, companiesContacts).create('company', { name: 'Made Later' })
    own.close()
    // A broken old database: a contact under a local company it does not hold.
    const legacy = open(LEGACY_DATABASE_NAME)
    await legacy.children.put({
      ...{ uid: crypto.randomUUID(), id: -9, companyId: -99, name: 'Lost' },
      ...{ isFromServer: false, isModified: false, isActive: true, rev: 1, syncError: null, _pending: 1 },
    })
    legacy.close()
    const page = pageStorage()
    const logged: unknown[] = []

    const outcome = await adoptOrFallBack(
      5,
      page,
      (id) => adoptLegacyData(id, deps),
      (_m, err) => logged.push(err),
    )

    expect(outcome).toBe('nothing')
    expect(logged).toEqual([expect.any(LegacyMergeError)])
    expect(openedDatabaseName(account, page)).toBe(localDatabaseName(5))
    const kept = open(localDatabaseName(5))
    expect((await kept.parents.toArray()).map((record) => record.name)).toEqual(['Made Later'])
    kept.close()
    // The old database waits, untouched, for the next start.
    expect(await names()).toContain(LEGACY_DATABASE_NAME)
    const old = open(LEGACY_DATABASE_NAME)
    expect(await old.children.count()).toBe(1)
    old.close()
  })

  it('with nothing to carry over, the account opens its own database', async () => {
    const page = pageStorage()
    expect(await adoptOrFallBack(5, page, (id) => adoptLegacyData(id, deps))).toBe('nothing')
    expect(openedDatabaseName(account, page)).toBe(localDatabaseName(5))
  })
})

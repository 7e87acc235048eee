import { afterEach, describe, expect, it } from 'vitest'
import { IDBKeyRange, IDBObjectStore, indexedDB } from 'fake-indexeddb'
import { companiesContacts as spec } from '@offline-sync/sync-protocol'
import {
  createLocalDatabase,
  createLocalQueries,
  createLocalWrites,
  createSyncEngine,
  memorySyncLock,
  type WireSyncRequest,
} from '@offline-sync/sync-client'
import { describeWriteError, isQuotaError, QUOTA_MESSAGE } from './storage-errors.ts'

/**
 * A full disk, as IndexedDB reports it: while armed, every put/add throws a QuotaExceededError DOMException.
 * Dexie turns that into an aborted transaction, which is what these tests check leaves the old data whole.
 */
const quota = { armed: false }
const originalPut = IDBObjectStore.prototype.put
const originalAdd = IDBObjectStore.prototype.add
function guard<F extends (...args: never[]) => unknown>(original: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    if (quota.armed) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    return original.apply(this, args)
  } as F
}
IDBObjectStore.prototype.put = guard(originalPut)
IDBObjectStore.prototype.add = guard(originalAdd)

afterEach(() => {
  quota.armed = false
})

function makeDevice() {
  const db = createLocalDatabase(spec, `quota-${crypto.randomUUID()}`, { indexedDB, IDBKeyRange })
  return { db, writes: createLocalWrites(db, spec), queries: createLocalQueries(db, spec) }
}

const snapshot = async (db: ReturnType<typeof makeDevice>['db']) => ({
  parents: await db.parents.toArray(),
  children: await db.children.toArray(),
  outbox: await db.outbox.toArray(),
  meta: await db.meta.toArray(),
})

const serverCompany = (id: number, uid: string, name: string) => ({
  id,
  uid,
  name,
  address: null,
  phone: null,
  email: null,
  website: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  version: '1',
  isFromServer: true as const,
  isModified: false as const,
  isActive: true as const,
})

describe('a full disk never costs the data already on the device', () => {
  it('a local add or edit that hits the quota writes nothing and says so in plain words', async () => {
    const { db, writes } = makeDevice()
    const kept = await writes.create('company', { name: 'Kept Ltd' })
    const before = await snapshot(db)

    quota.armed = true
    const addError = await writes.create('company', { name: 'Lost Ltd' }).catch((err: unknown) => err)
    const editError = await writes
      .update('company', kept.uid, { name: 'Renamed' })
      .catch((err: unknown) => err)
    quota.armed = false

    expect(isQuotaError(addError)).toBe(true)
    expect(isQuotaError(editError)).toBe(true)
    expect(describeWriteError(addError)).toBe(QUOTA_MESSAGE)
    // Nothing half-written: not the record, not the local id counter, not the edit.
    expect(await snapshot(db)).toEqual(before)
  })

  it('a sync whose apply hits the quota leaves the device as it was, and the resend then applies', async () => {
    const { db, writes, queries } = makeDevice()
    const mine = await writes.create('company', { name: 'Mine Ltd' })
    const theirs = crypto.randomUUID()
    const sent: WireSyncRequest[] = []
    const engine = createSyncEngine({
      db,
      spec,
      lock: memorySyncLock(),
      transport: async (request) => {
        sent.push(request)
        // The disk fills up while the request is on the wire: collecting worked, applying will not.
        quota.armed = sent.length === 1
        return {
          mode: 'full',
          cursor: '7',
          replayed: sent.length > 1,
          companies: [serverCompany(1, mine.uid, 'Mine Ltd'), serverCompany(2, theirs, 'Theirs Ltd')],
          contacts: [],
          removed: { companies: [], contacts: [] },
          companyIdMap: { [String(mine.id)]: 1 },
          contactIdMap: {},
          rejected: [],
          overwrites: [],
          overwritten: [],
          page: { next: null, total: { companies: 2, contacts: 0 } },
          written: { companies: [], contacts: [] },
        }
      },
    })
    const before = await snapshot(db)

    const failure = await engine.sync('manual').catch((err: unknown) => err)
    quota.armed = false
    expect(isQuotaError(failure)).toBe(true)
    // Records, cursor and ids as before the sync; the sent request stays parked in the outbox for the resend.
    const after = await snapshot(db)
    expect({ ...after, outbox: [] }).toEqual(before)
    expect(after.outbox.map((entry) => entry.request.syncId)).toEqual([sent[0]?.syncId])
    expect(await queries.pendingCount()).toBe(1)

    const report = await engine.sync('retry')
    expect(report.outcome).toBe('synced')
    expect(sent[1]?.syncId).toBe(sent[0]?.syncId) // the same request again: the server answers from its receipt
    expect((await db.parents.toArray()).map((r) => [r.name, r.id]).sort()).toEqual([
      ['Mine Ltd', 1],
      ['Theirs Ltd', 2],
    ])
    expect(await queries.pendingCount()).toBe(0)
  })
})

describe('isQuotaError', () => {
  it('sees the quota error directly, wrapped by Dexie, or as the cause of an abort', () => {
    const quotaError = new DOMException('full', 'QuotaExceededError')
    expect(isQuotaError(quotaError)).toBe(true)
    expect(isQuotaError({ name: 'AbortError', inner: quotaError })).toBe(true)
    expect(isQuotaError(new Error('aborted', { cause: quotaError }))).toBe(true)
    expect(isQuotaError(new Error('ConstraintError'))).toBe(false)
    expect(isQuotaError(null)).toBe(false)
    expect(describeWriteError(new Error('Company not found'))).toBe('Company not found')
  })
})

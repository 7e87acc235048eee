import { afterEach, describe, expect, it, vi } from 'vitest'
import Dexie from 'dexie'
import { IDBObjectStore } from 'fake-indexeddb'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { WRITE_SLICE } from '../src/write-slices.ts'
import { emptyResponse, makeDevice, spec } from './helpers.ts'

/*
 * Storing a page, applying a delta and settling an upload's acknowledgements write in slices of WRITE_SLICE
 * records, each awaited, so the page's event loop runs between them (no long main-thread task): behaviour, not
 * timing. Every IndexedDB put is watched: puts issued in one synchronous run (before a microtask could run) form
 * a "run"; and a macrotask (setImmediate, the plain Node task) queued at a store's first put must have run before
 * its last put, that is in the middle of the one transaction.
 */

const devices: ReturnType<typeof makeDevice>[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const d of devices.splice(0)) await d.db.delete()
})

/** Watches the record tables' puts: the size of each synchronous run, and the task queued at the first put. */
function watchPuts(onFirstPut?: () => void) {
  const runs: number[] = []
  let open = false
  let first = true
  let taskRan = false
  const taskRanAtPut: boolean[] = []
  const put = IDBObjectStore.prototype.put
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['put']>
  ) {
    if (this.name === spec.parent.plural || this.name === spec.child.plural) {
      if (first) {
        first = false
        setImmediate(() => (taskRan = true))
        onFirstPut?.()
      }
      if (!open) {
        open = true
        runs.push(0)
        queueMicrotask(() => (open = false))
      }
      runs[runs.length - 1]! += 1
      taskRanAtPut.push(taskRan)
    }
    return put.apply(this, args)
  })
  return {
    runs,
    /** Whether the task queued at the first put had run when the last put was issued. */
    taskRanBeforeLastPut: () => taskRanAtPut.at(-1) === true,
  }
}

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const at = '2026-12-01T00:00:00.000Z'
const company = (id: number, version = '5') => ({
  id,
  uid: uid(id),
  name: `Company ${id}`,
  address: null,
  phone: null,
  email: null,
  website: null,
  createdAt: at,
  updatedAt: at,
  version,
  isFromServer: true,
  isModified: false,
  isActive: true,
})

function device(answer: (request: Record<string, unknown>) => unknown) {
  const d = makeDevice('slices')
  devices.push(d)
  const engine = createSyncEngine({
    db: d.db,
    spec,
    transport: async (request) => JSON.parse(JSON.stringify(answer(request))) as unknown,
    lock: memorySyncLock(),
  })
  return { ...d, engine }
}

const records = 4 * WRITE_SLICE + 10

describe('writes in slices (no long main-thread task)', () => {
  it('rule G10: a page of several slices is written in runs of at most WRITE_SLICE, the event loop running between them', async () => {
    const parents = Array.from({ length: records }, (_, i) => company(i + 1))
    const d = device(() => ({
      ...emptyResponse('9'),
      companies: parents,
      page: { next: null, total: { companies: records, contacts: 0 } },
    }))
    const puts = watchPuts()
    const report = await d.engine.sync('startup')
    expect(report).toMatchObject({ outcome: 'synced', received: { companies: records } })
    expect(puts.runs.reduce((a, b) => a + b, 0)).toBe(records)
    expect(Math.max(...puts.runs)).toBeLessThanOrEqual(WRITE_SLICE)
    expect(puts.taskRanBeforeLastPut()).toBe(true)
    expect(await d.db.parents.count()).toBe(records)
  })

  it('a delta of several slices is written in runs of at most WRITE_SLICE, in its one transaction (a reader sees all of it)', async () => {
    const parents = Array.from({ length: records }, (_, i) => company(i + 1))
    let delta = false
    const d = device(() =>
      delta
        ? {
            ...emptyResponse('12'),
            mode: 'delta',
            page: null,
            companies: parents.map((p) => ({ ...p, phone: '+1 555 0100', version: '12' })),
          }
        : {
            ...emptyResponse('9'),
            companies: parents,
            page: { next: null, total: { companies: records, contacts: 0 } },
          },
    )
    await d.engine.sync('startup')
    delta = true
    // A reader that starts while the delta is written waits for its transaction and sees all of it.
    let read: Promise<number> | undefined
    const puts = watchPuts(() => {
      // Its own transaction, not the engine's that the put runs in.
      read = Dexie.ignoreTransaction(
        async () => (await d.db.parents.toArray()).filter((r) => r.phone === '+1 555 0100').length,
      )
    })
    const report = await d.engine.sync('manual')
    expect(report).toMatchObject({ outcome: 'synced', mode: 'delta', received: { companies: records } })
    expect(Math.max(...puts.runs)).toBeLessThanOrEqual(WRITE_SLICE)
    expect(puts.runs.length).toBeGreaterThan(4)
    expect(puts.taskRanBeforeLastPut()).toBe(true)
    expect(await read).toBe(records)
    expect(await d.db.meta.get('cursor')).toMatchObject({ value: '12' })
  })

  it('rules G7, G15: the acknowledgements of a large upload are written in runs of at most WRITE_SLICE', async () => {
    const d = device((request) => {
      const sent = request.companies as { added: { id: number; uid: string }[] }
      return {
        ...emptyResponse('20'),
        mode: 'delta',
        page: null,
        companyIdMap: Object.fromEntries(sent.added.map((r, i) => [String(r.id), 1000 + i])),
        written: {
          companies: sent.added.map((r, i) => ({
            id: 1000 + i,
            uid: r.uid,
            createdAt: at,
            updatedAt: at,
            version: '20',
          })),
          contacts: [],
        },
      }
    })
    await d.db.meta.put({ key: 'cursor', value: '19' })
    const made = 3 * WRITE_SLICE + 5
    for (let i = 0; i < made; i++) await d.writes.create('company', { name: `Made offline ${i}` })
    const puts = watchPuts()
    const report = await d.engine.sync('manual')
    expect(report).toMatchObject({ outcome: 'synced', sent: { companies: { added: made } } })
    expect(puts.runs.reduce((a, b) => a + b, 0)).toBe(made)
    expect(Math.max(...puts.runs)).toBeLessThanOrEqual(WRITE_SLICE)
    expect(puts.taskRanBeforeLastPut()).toBe(true)
    expect(await d.queries.pendingCount()).toBe(0)
    expect((await d.db.parents.toArray()).filter((r) => r.version === '20')).toHaveLength(made)
  })
})

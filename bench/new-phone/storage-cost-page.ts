/**
 * The storage-cost page (issue 16 point 5), bundled for Chromium: what storing a whole download costs, from the
 * bare IndexedDB floor to what the client engine does, with the variations worth deciding on (durability,
 * transaction size, where the JSON is parsed). Timing happens here; storage-cost.ts drives it through Playwright.
 * The body is `/data/full.json` (every record in one full answer); the worker's code is `/data/worker.json`.
 */
import { createLocalDatabase, createSyncEngine, memorySyncLock, recordWords } from '@offline-sync/sync-client'
import { companiesContacts, type EntitySpec } from '@offline-sync/sync-protocol'
import { openFloor, watchEventLoop } from '../browser/page-tools.ts'
import type { WorkerJob } from './storage-cost-worker.ts'

const spec = companiesContacts
type ServerRecord = Record<string, unknown> & { uid: string; name?: unknown }
type Body = Record<string, unknown> & { companies: ServerRecord[]; contacts: ServerRecord[] }
export type Durability = 'default' | 'relaxed' | 'strict'

export interface StorageTiming {
  ms: number
  /** The longest the page's event loop went without running a 0 ms timer while the variant ran. */
  longestBlockedMs: number
  stored: number
}

let text = ''
let body: Body | undefined

async function load(): Promise<{ bytes: number; records: number }> {
  text = await (await fetch('/data/full.json')).text()
  body = JSON.parse(text) as Body
  return { bytes: text.length, records: body.companies.length + body.contacts.length }
}

const need = (): Body => {
  if (!body) throw new Error('load() first')
  return body
}

const collectGarbage = () => (globalThis as unknown as { gc?: () => void }).gc?.()

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    request.onblocked = () => resolve()
  })
}

/** Puts `records` of two stores in transactions of `chunk` records (Infinity: one transaction). */
async function putAll(
  db: IDBDatabase,
  tables: [string, ServerRecord[], (r: ServerRecord) => ServerRecord][],
  chunk: number,
  durability: Durability,
): Promise<number> {
  let stored = 0
  const work: [string, ServerRecord[], (r: ServerRecord) => ServerRecord][] = []
  for (const [table, records, shape] of tables) {
    const size = Number.isFinite(chunk) ? chunk : records.length
    for (let i = 0; i < records.length; i += size) work.push([table, records.slice(i, i + size), shape])
  }
  for (const [table, records, shape] of work) {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(table, 'readwrite', { durability })
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('transaction failed'))
      tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'))
      const store = tx.objectStore(table)
      for (const r of records) store.put(shape(r))
    })
    stored += records.length
  }
  return stored
}

const withSort = (r: ServerRecord): ServerRecord => ({
  ...r,
  _sort: typeof r.name === 'string' ? r.name.toLowerCase() : '',
})

/** `withSort` plus the search keys the engine's middleware adds (search-index.ts), computed the same way. */
const withWords =
  (entity: EntitySpec) =>
  (r: ServerRecord): ServerRecord => ({
    ...withSort(r),
    _words: recordWords(entity, r),
    _changed: `0|${String(r.updatedAt)}`,
  })

/**
 * The floor, and its variations: bare stores (`indexes` false: no index, records as they came) or the engine's
 * schema (its indexes and `_sort` key), in transactions of `chunk` records, with a durability hint.
 */
async function floor(
  name: string,
  options: { indexes: boolean; chunk: number; durability: Durability; words?: boolean },
): Promise<StorageTiming> {
  const data = need()
  await deleteDatabase(name)
  const db = await openFloor(name, options.indexes, options.words)
  try {
    collectGarbage()
    const stop = watchEventLoop()
    const start = performance.now()
    const shape = (entity: EntitySpec) =>
      options.words ? withWords(entity) : options.indexes ? withSort : (r: ServerRecord) => r
    const stored = await putAll(
      db,
      [
        [spec.parent.plural, data.companies, shape(spec.parent)],
        [spec.child.plural, data.contacts, shape(spec.child)],
      ],
      options.chunk,
      options.durability,
    )
    return { ms: performance.now() - start, longestBlockedMs: stop(), stored }
  } finally {
    db.close()
    await deleteDatabase(name)
  }
}

/** The client engine's whole full sync into an empty device database (a new phone), answered with the body. */
async function engine(name: string, durability: Durability): Promise<StorageTiming> {
  const data = need()
  await deleteDatabase(name)
  const db = createLocalDatabase(
    spec,
    name,
    durability === 'default' ? undefined : { chromeTransactionDurability: durability },
  )
  try {
    await db.open()
    const sync = createSyncEngine({ db, spec, transport: async () => data, lock: memorySyncLock() })
    collectGarbage()
    const stop = watchEventLoop()
    const start = performance.now()
    const report = await sync.sync('manual')
    const ms = performance.now() - start
    const longestBlockedMs = stop()
    if (report.outcome !== 'synced')
      throw new Error(`engine: ${report.outcome} ${report.error?.message ?? ''}`)
    const stored = (await db.parents.count()) + (await db.children.count())
    return { ms, longestBlockedMs, stored }
  } finally {
    db.close()
    await deleteDatabase(name)
  }
}

/** JSON.parse of the body on the page's main thread: what `response.json()` costs before anything is stored. */
function parseInPage(): StorageTiming {
  collectGarbage()
  const start = performance.now()
  const parsed = JSON.parse(text) as Body
  const ms = performance.now() - start
  return { ms, longestBlockedMs: ms, stored: parsed.companies.length + parsed.contacts.length }
}

let workerUrl: string | undefined

async function startWorker(): Promise<Worker> {
  workerUrl ??= URL.createObjectURL(
    new Blob([await (await fetch('/data/worker.json')).text()], { type: 'text/javascript' }),
  )
  return new Worker(workerUrl)
}

/**
 * A worker fetches and parses the body. `then: 'post'` hands the records back to the page (the structured clone
 * is decoded on the main thread); `then: 'store'` writes them from the worker (bare floor: one transaction).
 */
async function inWorker(then: 'post' | 'store', name: string): Promise<StorageTiming> {
  await deleteDatabase(name)
  const worker = await startWorker()
  try {
    collectGarbage()
    const stop = watchEventLoop()
    const start = performance.now()
    const stored = await new Promise<number>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ error?: string; body?: Body; stored?: number }>) => {
        if (event.data.error) reject(new Error(event.data.error))
        else if (event.data.body) resolve(event.data.body.companies.length + event.data.body.contacts.length)
        else resolve(event.data.stored ?? 0)
      }
      const job: WorkerJob = {
        then,
        url: new URL('/data/full.json', location.href).href,
        name,
        spec: { parent: { plural: spec.parent.plural }, child: { plural: spec.child.plural } },
      }
      worker.postMessage(job)
    })
    return { ms: performance.now() - start, longestBlockedMs: stop(), stored }
  } finally {
    worker.terminate()
    await deleteDatabase(name)
  }
}

/** Fetch + parse on the page, for comparison with the worker: the same work a transport does. */
async function fetchParseInPage(): Promise<StorageTiming> {
  collectGarbage()
  const stop = watchEventLoop()
  const start = performance.now()
  const parsed = (await (await fetch('/data/full.json')).json()) as Body
  return {
    ms: performance.now() - start,
    longestBlockedMs: stop(),
    stored: parsed.companies.length + parsed.contacts.length,
  }
}

const api = { load, floor, engine, parseInPage, fetchParseInPage, inWorker }
export type StorageCostApi = typeof api
;(globalThis as unknown as { storageCost: StorageCostApi }).storageCost = api
document.title = 'storage cost ready'

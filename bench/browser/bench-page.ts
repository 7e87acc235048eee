/**
 * The bench page, bundled for Chromium. It drives the REAL client engine (createLocalDatabase +
 * createSyncEngine, with a Transport that hands back a prepared server response) and, beside it, the floor: a
 * bare IndexedDB bulk write of the same records. All timing happens here, with performance.now().
 * The Node side (run-browser-bench.ts) calls `window.bench.*` through Playwright.
 */
import { createLocalDatabase, createSyncEngine, type SyncProgress } from '@offline-sync/sync-client'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { openFloor } from './page-tools.ts'

const spec = companiesContacts
type ServerRecord = Record<string, unknown> & { uid: string }
type Response = Record<string, unknown> & { companies: ServerRecord[]; contacts: ServerRecord[] }

const responses = new Map<string, { text: string; parsed: Response }>()
const engines = new Map<string, { sync: (probe: boolean) => Promise<EngineTiming>; close: () => void }>()
/** The response the Transport answers with next. */
let answer: Response | undefined

export interface EngineTiming {
  totalMs: number
  collectMs: number
  validateMs: number
  writeMs: number
  outcome: string
  mode?: string
  error?: string
  /** With `probe`: the longest a first page of the company list waited while the sync ran. */
  longestReadMs?: number
}

/** Fetches a prepared response body once; the parse is timed by `parse`. */
async function load(name: string): Promise<{ bytes: number }> {
  const text = await (await fetch(`/data/${name}.json`)).text()
  responses.set(name, { text, parsed: JSON.parse(text) as Response })
  return { bytes: text.length }
}

/** A full collection before a timed section, so it does not pay for the garbage of the previous one. */
function collectGarbage(): void {
  ;(globalThis as unknown as { gc?: () => void }).gc?.()
}

/** JSON.parse of the body, as the HTTP transport's `response.json()` does on every sync. */
function parse(name: string): number {
  const entry = need(name)
  collectGarbage()
  const start = performance.now()
  entry.parsed = JSON.parse(entry.text) as Response
  return performance.now() - start
}

function need(name: string) {
  const entry = responses.get(name)
  if (!entry) throw new Error(`response ${name} was not loaded`)
  return entry
}

/**
 * One sync through the real engine, answered with response `name`; phases timed through onProgress. With
 * `probe`, the company list's first page (as the app's list screen reads it) is read again and again while
 * the sync runs, and the longest wait is returned: what a user opening the list during a big sync sees.
 */
async function engineSync(dbName: string, name: string, probe = false): Promise<EngineTiming> {
  answer = need(name).parsed
  let engine = engines.get(dbName)
  if (!engine) {
    const db = createLocalDatabase(spec, dbName)
    let marks: Record<string, number> = {}
    const sync = createSyncEngine({
      db,
      spec,
      transport: async () => {
        marks.sent ??= performance.now()
        const body = answer
        marks.received = performance.now()
        return body
      },
      onProgress: (p: SyncProgress) => {
        marks[p.phase] ??= performance.now()
      },
    })
    engine = {
      close: () => db.close(),
      sync: async (probing) => {
        marks = {}
        collectGarbage()
        let running = true
        let longestReadMs = 0
        const reader = (async () => {
          while (probing && running) {
            const asked = performance.now()
            await db.parents.orderBy('_sort').limit(50).toArray()
            longestReadMs = Math.max(longestReadMs, performance.now() - asked)
            await new Promise((resolve) => setTimeout(resolve, 5))
          }
        })()
        const start = performance.now()
        const report = await sync.sync('manual')
        const end = performance.now()
        running = false
        await reader
        const at = (phase: string) => marks[phase] ?? Number.NaN
        return {
          totalMs: end - start,
          collectMs: at('sending') - start,
          validateMs: at('applying') - at('received'),
          writeMs: end - at('applying'),
          outcome: report.outcome,
          ...(report.mode ? { mode: report.mode } : {}),
          ...(report.error ? { error: report.error.message } : {}),
          ...(probing ? { longestReadMs } : {}),
        }
      },
    }
    engines.set(dbName, engine)
  }
  return engine.sync(probe)
}

/**
 * The floor: ONE readwrite transaction that clears both stores and `put`s every record of the response, with
 * no library in between. With indexes it writes what the engine writes (the record plus its `_sort` key).
 */
async function floorWrite(dbName: string, name: string, withIndexes: boolean): Promise<number> {
  const response = need(name).parsed
  const db = await openFloor(dbName, withIndexes)
  try {
    collectGarbage()
    const start = performance.now()
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction([spec.parent.plural, spec.child.plural], 'readwrite')
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('floor transaction failed'))
      tx.onabort = () => reject(tx.error ?? new Error('floor transaction aborted'))
      const write = (storeName: string, records: ServerRecord[]) => {
        const store = tx.objectStore(storeName)
        store.clear()
        if (withIndexes) {
          for (const r of records)
            store.put({ ...r, _sort: typeof r.name === 'string' ? r.name.toLowerCase() : '' })
        } else {
          for (const r of records) store.put(r)
        }
      }
      write(spec.parent.plural, response.companies)
      write(spec.child.plural, response.contacts)
    })
    return performance.now() - start
  } finally {
    db.close()
  }
}

/** Record counts of a database, to check that the engine and the floor hold the same data. */
async function count(dbName: string): Promise<Record<string, number>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(dbName)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('open failed'))
  })
  try {
    const counts: Record<string, number> = {}
    for (const storeName of [spec.parent.plural, spec.child.plural]) {
      if (!db.objectStoreNames.contains(storeName)) continue
      counts[storeName] = await new Promise<number>((resolve, reject) => {
        const request = db.transaction(storeName).objectStore(storeName).count()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error ?? new Error('count failed'))
      })
    }
    return counts
  } finally {
    db.close()
  }
}

/** Drops the engines and databases of one scale, so the next scale starts empty and disk stays small. */
async function dropAll(names: string[]): Promise<void> {
  for (const name of names) {
    engines.get(name)?.close()
    engines.delete(name)
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name)
      request.onsuccess = () => resolve()
      request.onerror = () => resolve()
      request.onblocked = () => resolve()
    })
  }
  responses.clear()
}

const api = { load, parse, engineSync, floorWrite, count, dropAll }
export type BenchPageApi = typeof api
;(globalThis as unknown as { bench: BenchPageApi }).bench = api
document.title = 'bench ready'

/**
 * The search bench page, bundled for Chromium (run-search-bench.ts drives it). Two contenders over the same
 * 10,000 companies + 100,000 contacts on the device:
 * - ours: the client engine's Dexie multi-entry word index (search-index.ts, search-records.ts), filled by a real
 *   full sync through createSyncEngine, as a phone receives its data;
 * - MiniSearch: an in-memory inverted index built from the same IndexedDB records, in idle-sized chunks
 *   (addAllAsync), queried with prefix matching and AND.
 * All timing happens here with performance.now(); long tasks (> 50 ms on the main thread, i.e. a blocked screen)
 * are recorded with a PerformanceObserver.
 */
import MiniSearch from 'minisearch'
import {
  createLocalDatabase,
  createLocalSearch,
  createSyncEngine,
  memorySyncLock,
  normalise,
  recordWords,
  type LocalDatabase,
} from '@offline-sync/sync-client'
import { companiesContacts } from '@offline-sync/sync-protocol'

const spec = companiesContacts
type Rec = Record<string, unknown> & { id: number; uid: string }

const longTasks: number[] = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration)
}).observe({ type: 'longtask', buffered: false })

/** The longest main-thread task during `work`, and the time it took. */
async function watched<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; longestTaskMs: number }> {
  longTasks.length = 0
  const start = performance.now()
  const value = await work()
  const ms = performance.now() - start
  // Long-task entries are delivered after the task: give the observer a frame.
  await new Promise((resolve) => setTimeout(resolve, 50))
  return { value, ms, longestTaskMs: Math.max(0, ...longTasks) }
}

const FIRST = ['Ada', 'Zoë', 'Léa', 'Bob', 'Ines', 'Omar', 'Yuki', 'Chen', 'Olga', 'Raúl', 'Sven', 'Maya']
const LAST = ['Lovelace', 'Ångström', 'Martin', 'Baker', 'Ito', 'Haddad', 'Sato', 'Wei', 'Novak', 'García']
const TITLES = ['Head Baker', 'Buyer', 'Site Manager', 'Surveyor', 'Accountant', 'Driver', 'Owner']
const WORDS = ['Night', 'Owl', 'Bakery', 'Harbour', 'Café', 'Mill', 'Works', 'Optics', 'Ölmühle', 'Garage']
const STREETS = ['Rue de l’Église', 'High Street', 'Main Road', 'Hauptstraße', 'Calle Mayor']
const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T

function serverRecord(id: number, fields: Record<string, unknown>): Rec {
  return {
    id,
    uid: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
    version: '1',
    isFromServer: true,
    isModified: false,
    isActive: true,
    ...fields,
  }
}

/** Deterministic data: every company and contact has words shared with thousands of others, and unique ones. */
function makeResponse(companies: number, contacts: number) {
  const parents = Array.from({ length: companies }, (_, i) =>
    serverRecord(i + 1, {
      name: `${at(WORDS, i)} ${at(WORDS, i * 7 + 3)} ${i}`,
      address: `${i % 200} ${at(STREETS, i)}, Town ${i % 97}`,
      phone: `+44 20 ${String(7000 + (i % 3000))} ${String(i).padStart(4, '0')}`,
      email: `hello${i}@company${i}.test`,
      website: `https://company${i}.test`,
    }),
  )
  const children = Array.from({ length: contacts }, (_, i) =>
    serverRecord(companies + i + 1, {
      name: `${at(FIRST, i)} ${at(LAST, i * 3 + 1)} ${i}`,
      jobTitle: at(TITLES, i),
      email: `${at(FIRST, i).toLowerCase()}.${i}@company${i % companies}.test`,
      phone: `0${String(6_000_000_000 + i * 7919).slice(0, 9)}`,
      companyId: (i % companies) + 1,
    }),
  )
  return {
    mode: 'full',
    cursor: '1',
    replayed: false,
    companies: parents,
    contacts: children,
    removed: { companies: [], contacts: [] },
    companyIdMap: {},
    contactIdMap: {},
    rejected: [],
    overwrites: [],
    overwritten: [],
    page: { next: null, total: { companies: parents.length, contacts: children.length } },
    written: { companies: [], contacts: [] },
  }
}

/** Records per page, as the server's default (SYNC_PAGE_RECORDS). */
const PAGE_RECORDS = 2_000

/** Page `index` of the full answer: parents first, then children, with the next page's token (its index). */
function pageOf(r: ReturnType<typeof makeResponse>, index: number) {
  const from = index * PAGE_RECORDS
  const to = from + PAGE_RECORDS
  const parents = r.companies.slice(from, to)
  const children = r.contacts.slice(
    Math.max(0, from - r.companies.length),
    Math.max(0, to - r.companies.length),
  )
  const more = to < r.companies.length + r.contacts.length
  return {
    ...r,
    companies: parents,
    contacts: children,
    page: { next: more ? String(index + 1) : null, total: r.page.total },
  }
}

let db: LocalDatabase | undefined
let response: ReturnType<typeof makeResponse> | undefined
let mini: MiniSearch | undefined

/** Fills the device through a real full sync; returns the time and the longest task it caused. */
async function seed(companies: number, contacts: number) {
  response = makeResponse(companies, contacts)
  db = createLocalDatabase(spec, `search-bench-${Date.now()}`)
  const full = response
  const engine = createSyncEngine({
    db,
    spec,
    // Paged as the server pages a full read (rule G1, 2,000 records a page): the device stores what a new phone
    // stores, page by page, not one body of every record.
    transport: async (request) => pageOf(full, Number((request as { page?: string }).page ?? 0)),
    lock: memorySyncLock(),
  })
  const { value, ms, longestTaskMs } = await watched(() => engine.sync('manual'))
  if (value.outcome !== 'synced') throw new Error(`seed sync: ${JSON.stringify(value)}`)
  return {
    syncMs: ms,
    longestTaskMs,
    companies: await db.parents.count(),
    contacts: await db.children.count(),
  }
}

/** The share of a full sync that is the index's upkeep: tokenising every record (the index writes come on top). */
function tokenise() {
  const r = response
  if (!r) throw new Error('seed first')
  const start = performance.now()
  let words = 0
  for (const c of r.companies) words += recordWords(spec.parent, c).length
  for (const c of r.contacts) words += recordWords(spec.child, c).length
  return { ms: performance.now() - start, words }
}

/** Each query as typed, keystroke by keystroke: the time from the keystroke to the two result groups. */
async function oursTyped(queries: string[]) {
  if (!db) throw new Error('seed first')
  const search = createLocalSearch(db, spec)
  const times: number[] = []
  const typedTimes: { typed: string; ms: number }[] = []
  const found: Record<string, number> = {}
  let longest = 0
  for (const query of queries) {
    for (let n = 1; n <= query.length; n++) {
      const typed = query.slice(0, n)
      if (typed.trim() === '') continue
      const { value, ms, longestTaskMs } = await watched(() => search.search(typed, { limit: 50 }))
      times.push(ms)
      typedTimes.push({ typed, ms })
      longest = Math.max(longest, longestTaskMs)
      if (n === query.length) found[query] = value.parents.records.length + value.children.records.length
    }
  }
  return { times, typedTimes, found, longestTaskMs: longest }
}

/** One search while a delta sync of `edits` records is applied: typing stays answered during a sync. */
async function oursDuringSync(edits: number, query: string) {
  if (!db || !response) throw new Error('seed first')
  const delta = {
    ...response,
    mode: 'delta',
    cursor: '2',
    companies: [],
    contacts: response.contacts.slice(0, edits).map((c) => ({ ...c, jobTitle: 'Night Auditor' })),
  }
  const engine = createSyncEngine({
    db,
    spec,
    transport: async () => delta,
    lock: memorySyncLock(),
  })
  const search = createLocalSearch(db, spec)
  const times: number[] = []
  const { ms, longestTaskMs } = await watched(async () => {
    const sync = engine.sync('manual')
    let done = false
    void sync.then(() => (done = true))
    while (!done) {
      const start = performance.now()
      await search.search(query, { limit: 50 })
      times.push(performance.now() - start)
    }
    return sync
  })
  const after = await search.search('auditor', { limit: 50 })
  return { syncMs: ms, longestTaskMs, times, foundAfter: after.children.records.length }
}

/** MiniSearch over the same records: read them from IndexedDB, build in chunks, then type the same queries. */
async function miniBuild() {
  if (!db) throw new Error('seed first')
  const database = db
  const heapBefore = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
    ?.usedJSHeapSize
  const fields = ['name', 'address', 'email', 'phone', 'jobTitle']
  mini = new MiniSearch({
    idField: 'uid',
    fields,
    storeFields: ['name', 'kind'],
    processTerm: (term) => normalise(term),
    // Phone digits as one term too, as ours does (spaces and punctuation dropped).
    extractField: (doc, field) => {
      const value = (doc as Record<string, unknown>)[field]
      if (typeof value !== 'string') return ''
      return field === 'phone' ? `${value} ${value.replace(/\D/g, '')}` : value
    },
  })
  const read = await watched(async () => {
    const parents = await database.parents.toArray()
    const children = await database.children.toArray()
    return [
      ...parents.map((p) => ({ ...p, kind: 'company' })),
      ...children.map((c) => ({ ...c, kind: 'contact' })),
    ]
  })
  const index = mini
  const build = await watched(() => index.addAllAsync(read.value, { chunkSize: 1000 }))
  const heapAfter = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize
  return {
    readMs: read.ms,
    readLongestTaskMs: read.longestTaskMs,
    buildMs: build.ms,
    buildLongestTaskMs: build.longestTaskMs,
    heapMiB: heapBefore && heapAfter ? (heapAfter - heapBefore) / 2 ** 20 : null,
  }
}

async function miniTyped(queries: string[]) {
  const index = mini
  if (!index) throw new Error('build MiniSearch first')
  const times: number[] = []
  const found: Record<string, number> = {}
  let longest = 0
  for (const query of queries) {
    for (let n = 1; n <= query.length; n++) {
      const typed = query.slice(0, n)
      if (typed.trim() === '') continue
      const { value, ms, longestTaskMs } = await watched(async () =>
        index.search(typed, { prefix: true, combineWith: 'AND' }),
      )
      times.push(ms)
      longest = Math.max(longest, longestTaskMs)
      if (n === query.length) found[query] = value.length
    }
  }
  return { times, found, longestTaskMs: longest }
}

export const api = { seed, tokenise, oursTyped, oursDuringSync, miniBuild, miniTyped }
export type SearchBenchApi = typeof api
;(globalThis as unknown as { bench: SearchBenchApi }).bench = api
document.title = 'bench ready'

/**
 * Injected into every page of the new-phone benchmark before the app's own scripts (bundled by esbuild, added with
 * addInitScript, so the app's CSP does not apply). It watches the app from outside, never through its code, and
 * notes times on the page's own clock (performance.now()):
 *
 * - `submitAt` / `signedInAt`: the tap on the sign-in button, and the end of the sign-in answer (resource timing);
 * - `firstRowAt`: the first company row in the DOM (what a person sees);
 * - `first50At`: the first 50 companies readable in the device's IndexedDB by the list's own index (`_sort`);
 * - `uploadedAt`: nothing pending any more (every local change acknowledged by the server);
 * - `allAt`: a cursor stored and every expected record in the tables (the download, or the sync, has finished);
 * - `syncedAt`: after `watchSync`, the device's `lastSyncedAt` changed (a delta sync's answer is applied).
 *
 * Whatever the wire looks like (one full answer or pages), these are the app's states a person depends on. IndexedDB
 * is read every POLL_MS, so each time is late by up to one poll and one small read.
 */

const POLL_MS = 20
const ACCOUNT_KEY = 'offline-sync:account'

interface Expected {
  companies: number
  contacts: number
}

export interface ProbeState {
  submitAt?: number
  signedInAt?: number
  firstRowAt?: number
  first50At?: number
  uploadedAt?: number
  allAt?: number
  syncedAt?: number
  /** When the current watch began (the tap it measures from is noted by the caller just after). */
  watchAt?: number
  clickAt?: number
  counts?: Expected
  polls: number
  error?: string
}

export interface PhoneProbe {
  state: ProbeState
  /** Starts watching for `expected` records (the download, or the first upload) and resets the watch's times. */
  watch(expected: Expected, options?: { pendingFirst?: boolean }): void
  /** Starts watching for the next applied sync (meta `lastSyncedAt` changes). */
  watchSync(): Promise<void>
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

function install(): void {
  const state: ProbeState = { polls: 0 }
  let expected: Expected | null = null
  let watchingSync: { before: unknown } | null = null
  let db: IDBDatabase | null = null
  let timer: number | null = null

  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target : null
      if (target?.closest('[data-testid="auth-submit"]')) state.submitAt = performance.now()
      if (target?.closest('[data-testid="sync-button"]')) state.clickAt = performance.now()
    },
    true,
  )

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.name.includes('/api/auth/sign-in') && state.signedInAt === undefined)
        state.signedInAt = (entry as PerformanceResourceTiming).responseEnd
  }).observe({ type: 'resource', buffered: true })

  const rows = new MutationObserver(() => {
    if (state.firstRowAt === undefined && document.querySelector('[data-testid="company-row"]')) {
      state.firstRowAt = performance.now()
    }
  })
  rows.observe(document, { childList: true, subtree: true })

  /** The app's database, once the app has created it (opening it before would create an empty one). */
  async function open(): Promise<IDBDatabase | null> {
    if (db) return db
    const raw = localStorage.getItem(ACCOUNT_KEY)
    const id = raw === null ? undefined : (JSON.parse(raw) as { id?: unknown }).id
    if (typeof id !== 'number') return null
    const name = `companies-contacts-${id}`
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return null
    const opened = await request(indexedDB.open(name))
    if (!['companies', 'contacts', 'meta', 'outbox'].every((s) => opened.objectStoreNames.contains(s))) {
      opened.close()
      return null
    }
    // Never stand in the way of an upgrade by the app.
    opened.onversionchange = () => {
      opened.close()
      db = null
    }
    db = opened
    return db
  }

  async function poll(): Promise<void> {
    const handle = await open()
    if (!handle) return
    state.polls++
    const tx = handle.transaction(['companies', 'contacts', 'meta', 'outbox'], 'readonly')
    const meta = tx.objectStore('meta')
    if (watchingSync) {
      const last = ((await request(meta.get('lastSyncedAt'))) as { value?: unknown } | undefined)?.value
      if (last !== watchingSync.before && state.syncedAt === undefined) state.syncedAt = performance.now()
      return
    }
    if (!expected) return
    const companies = tx.objectStore('companies')
    const contacts = tx.objectStore('contacts')
    if (state.first50At === undefined) {
      const first = await request(companies.index('_sort').getAll(null, 50))
      if (first.length >= Math.min(50, expected.companies)) state.first50At = performance.now()
    }
    if (state.uploadedAt === undefined) {
      // One key at most from each: whether anything is pending, without counting thousands of index entries
      // while the engine writes (that would slow down what is measured).
      const pending =
        (await request(companies.index('_pending').getAllKeys(null, 1))).length +
        (await request(contacts.index('_pending').getAllKeys(null, 1))).length +
        (await request(tx.objectStore('outbox').getAllKeys(null, 1))).length
      if (pending === 0) state.uploadedAt = performance.now()
    }
    if (state.allAt === undefined) {
      const cursor = ((await request(meta.get('cursor'))) as { value?: unknown } | undefined)?.value
      if (cursor === null || cursor === undefined) return
      const counts = {
        companies: await request(companies.index('_sort').count()),
        contacts: await request(contacts.index('_sort').count()),
      }
      state.counts = counts
      if (counts.companies >= expected.companies && counts.contacts >= expected.contacts) {
        state.allAt = performance.now()
      }
    }
  }

  const loop = () => {
    poll()
      .catch((error: unknown) => {
        state.error = error instanceof Error ? error.message : String(error)
        db?.close()
        db = null
      })
      .finally(() => {
        const done = expected === null && watchingSync === null
        const finished =
          (expected !== null && state.allAt !== undefined && state.uploadedAt !== undefined) ||
          (watchingSync !== null && state.syncedAt !== undefined)
        timer = done || finished ? null : window.setTimeout(loop, POLL_MS)
      })
  }
  const start = () => {
    if (timer === null) timer = window.setTimeout(loop, 0)
  }

  const probe: PhoneProbe = {
    state,
    watch(next, options) {
      expected = next
      watchingSync = null
      state.watchAt = performance.now()
      for (const key of ['first50At', 'uploadedAt', 'allAt', 'syncedAt', 'clickAt', 'counts'] as const)
        delete state[key]
      // A phone with local work: "uploaded" is only meaningful once something was pending; none is ever skipped.
      if (options?.pendingFirst === false) state.uploadedAt = state.watchAt
      start()
    },
    async watchSync() {
      const handle = await open()
      if (!handle) throw new Error('the app has not opened its database yet')
      const meta = handle.transaction('meta', 'readonly').objectStore('meta')
      const before = ((await request(meta.get('lastSyncedAt'))) as { value?: unknown } | undefined)?.value
      expected = null
      watchingSync = { before }
      state.watchAt = performance.now()
      delete state.syncedAt
      delete state.clickAt
      start()
    },
  }
  ;(globalThis as unknown as { __phone: PhoneProbe }).__phone = probe
}

if (location.protocol.startsWith('http')) install()

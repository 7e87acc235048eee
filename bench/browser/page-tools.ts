/** What the benchmark pages that run in Chromium share (bundled into each page by build-page.ts). */
import { companiesContacts } from '@offline-sync/sync-protocol'

const spec = companiesContacts

/**
 * Measures how long the event loop goes without running a 0 ms timer: what a tap would wait at worst. The
 * returned stop() also counts the gap still open when it is called.
 */
export function watchEventLoop(): () => number {
  let longest = 0
  let last = performance.now()
  let running = true
  const tick = () => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
    if (running) setTimeout(tick, 0)
  }
  setTimeout(tick, 0)
  return () => {
    running = false
    return Math.max(longest, performance.now() - last)
  }
}

/**
 * The bare-IndexedDB floor: a fresh database with the engine's tables (primary key uid) and, for the same-schema
 * floor, the indexes its Dexie schema declares for lists and sync; `withWords` adds its search index too.
 */
export function openFloor(dbName: string, withIndexes: boolean, withWords = false): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, 1)
    request.onupgradeneeded = () => {
      const db = request.result
      const parents = db.createObjectStore(spec.parent.plural, { keyPath: 'uid' })
      const children = db.createObjectStore(spec.child.plural, { keyPath: 'uid' })
      if (withIndexes) {
        const key = spec.child.parentKey
        for (const store of [parents, children]) {
          store.createIndex('id', 'id', { unique: true })
          store.createIndex('_sort', '_sort')
          store.createIndex('_pending', '_pending')
        }
        children.createIndex(key, key)
        children.createIndex(`[${key}+_sort]`, [key, '_sort'])
      }
      // The search index of decision 018: one entry per word of every active record.
      if (withWords) {
        for (const store of [parents, children]) store.createIndex('_words', '_words', { multiEntry: true })
        parents.createIndex('_changed', '_changed')
      }
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'))
  })
}

import type { Table } from 'dexie'

/**
 * Records per bulk call inside a transaction. A `bulkPut` issues one IndexedDB put per record in the task that
 * calls it, each a structured clone and (search-index.ts) a tokenisation: a page of 2,000 records or a delta of
 * thousands made one main-thread task of hundreds of milliseconds, during which the screen and a search wait.
 * Written in slices, each awaited before the next (an IndexedDB request completes in a task of its own), the
 * page's event loop runs between them; the transaction is the same, so what it writes stays atomic.
 */
export const WRITE_SLICE = 250

/**
 * Puts `items` (mapped by `toRow` one slice at a time, so the mapping is sliced too) in bulk calls of
 * WRITE_SLICE, each awaited; `afterSlice` gets the count of each slice written. Inside the caller's transaction.
 */
export async function putInSlices<I, R, K>(
  table: Table<R, K>,
  items: readonly I[],
  toRow: (item: I) => R,
  afterSlice?: (count: number) => void,
): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_SLICE) {
    const slice = items.slice(i, i + WRITE_SLICE)
    await table.bulkPut(slice.map(toRow))
    afterSlice?.(slice.length)
  }
}

/** Deletes `keys` in bulk calls of WRITE_SLICE, each awaited. Inside the caller's transaction. */
export async function deleteInSlices<R, K>(table: Table<R, K>, keys: readonly K[]): Promise<void> {
  for (let i = 0; i < keys.length; i += WRITE_SLICE) await table.bulkDelete(keys.slice(i, i + WRITE_SLICE))
}

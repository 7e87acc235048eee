import type { EntitySpec } from '@offline-sync/sync-protocol'
import type { LocalRecord } from './local-database.ts'
import { isPending } from './record-states.ts'

export { isPending }
import type { SearchKeys } from './search-index.ts'
import { normalise } from './search-words.ts'

/**
 * How a record is kept in IndexedDB: the LocalRecord plus two derived, *sparse* index keys. IndexedDB cannot
 * index booleans, and a key that is absent leaves the record out of that index, so:
 * - `_sort` (the sort field folded by `sortKey`) exists only on ACTIVE records: the `_sort` index lists active records in
 *   name order without ever touching tombstones;
 * - `_pending` (always 1) exists only on records whose change has not reached the server: collecting a sync and
 *   counting pending changes read that index, never the whole table.
 * Both are recomputed by `toStored` on every write, so they cannot drift from the flags.
 * - `_snapshot` (the download's snapshot cursor) exists only on server rows a full download stored over data the
 *   device already held: the rows without it are the ones the end of that download removes (store-page.ts).
 *   A local write drops it (the record is pending then, and pending records are never removed).
 */
export type StoredRecord = LocalRecord & { _sort?: string; _pending?: 1; _snapshot?: string } & SearchKeys

/** The field lists are ordered by this one: `name` when the entity declares it, else its first field. */
export function sortFieldOf(entity: EntitySpec): string {
  if ('name' in entity.fields) return 'name'
  const first = Object.keys(entity.fields)[0]
  if (first === undefined) throw new Error(`${entity.name} declares no fields`)
  return first
}

/** Adds the derived index keys (and drops stale ones) for a record about to be written. */
export function toStored(record: LocalRecord, sortField: string): StoredRecord {
  const { _sort: _s, _pending: _p, ...plain } = record as StoredRecord
  const stored: StoredRecord = plain as StoredRecord
  if (record.isActive) stored._sort = sortKey(record[sortField])
  if (isPending(record)) stored._pending = 1
  return stored
}

/** The record as the app sees it: without the derived index keys. */
export function fromStored(stored: StoredRecord): LocalRecord {
  const { _sort: _s, _pending: _p, _words: _w, _changed: _c, _snapshot: _d, ...record } = stored
  return record as LocalRecord
}

/**
 * The list order's key: the sort field folded as search folds it (case, accents, ß → ss), so "Élan" sorts among
 * the e's and "ölmühle" beside "olmuhle", not after "z" as code-unit order of the raw lower case would put them.
 */
export function sortKey(value: unknown): string {
  return typeof value === 'string' ? normalise(value) : ''
}

import { Dexie, type DexieOptions, type Table } from 'dexie'
import type { OneToManySpec } from '@offline-sync/sync-protocol'
import { sortFieldOf, sortKey, type StoredRecord } from './stored-record.ts'
import { searchIndexMiddleware, searchKeys } from './search-index.ts'
import type { WireSyncRequest } from './transport.ts'

/**
 * Sync bookkeeping on every local record. The three flags of the OutSystems pattern encode five states (synced,
 * added, edited, deleted, addDeleted): their table and every transition between them are in record-states.ts,
 * the only place that changes them. `isFromServer` = the record has a server id (id > 0); `isModified` = a server
 * record carries local edits (an add is never "modified"); `isActive` = false marks a local delete that the server
 * has not seen yet. Any state but synced is "pending" and will be sent by the next sync.
 */
export interface SyncMeta {
  isFromServer: boolean
  isModified: boolean
  isActive: boolean
  /** bumped by every local write; lets a sync tell "changed while in flight" */
  rev: number
  /** set when the server refused this record's change; cleared by the next local edit */
  syncError: { code: string; reason: string; at: string } | null
  /**
   * Rule M1: the fields edited here since `version` (the base), sent as the modify; absent on a clean record,
   * and on one an older build edited (then every field is sent).
   */
  changed?: string[] | undefined
}

export type LocalRecord = {
  uid: string
  /** Negative until the server has assigned an id. */
  id: number
  createdAt?: string
  updatedAt?: string
  version?: string
} & SyncMeta &
  Record<string, unknown>

/** The sync request that was sent and whose response has not been applied yet (at most one). */
export interface OutboxEntry {
  key: 'current'
  request: WireSyncRequest
  /** uid → `rev` of each record when it was collected: a higher rev now means "changed while in flight". */
  sentRevs: Record<string, number>
  createdAt: string
}

export interface MetaEntry {
  key: MetaKey
  value: unknown
}

/**
 * `deviceId`: UUID of this installation. `nextLocalId`: the next negative id (shared by both tables).
 * `cursor`: server change cursor of the last applied response (null = next sync is full).
 * `lastSyncedAt`: ISO time of the last applied response. `refresh`: true when a discard needs a full sync.
 * `ghostParents`: uids of parents deleted on the server but kept for their local children (apply-response.ts).
 * `overwrites`: the overwrites kept for the person to see (overwrite-notices.ts, rules M4, M5).
 * `download`: a paged full download under way (download-state.ts, rule G9).
 * `acknowledgedIds`: former local ids of parents → their server ids (acknowledged-ids.ts).
 */
export type MetaKey =
  | 'deviceId'
  | 'nextLocalId'
  | 'cursor'
  | 'lastSyncedAt'
  | 'refresh'
  | 'ghostParents'
  | 'overwrites'
  | 'download'
  | 'acknowledgedIds'

/**
 * The device's IndexedDB database. Tables: `spec.parent.plural` and `spec.child.plural` (primary key `uid`;
 * unique `id`; sparse `_sort` and `_pending` indexes, see stored-record.ts; the child also by parent key and
 * `[parentKey+_sort]`), `outbox` (the one in-flight request) and `meta` (key/value, see MetaKey).
 * Version 2 adds the search keys (search-index.ts): multi-entry `*_words` on both tables and `_changed` on the
 * parent; a DBCore middleware keeps them on every write, and the upgrade fills them in for records kept from v1.
 * Version 3 adds the sparse `_snapshot` index: the rows a download over older data stored (store-page.ts, G9).
 */
export class LocalDatabase extends Dexie {
  readonly spec: OneToManySpec
  readonly parents: Table<StoredRecord, string>
  readonly children: Table<StoredRecord, string>
  readonly outbox: Table<OutboxEntry, string>
  readonly meta: Table<MetaEntry, string>

  constructor(spec: OneToManySpec, name: string, options?: DexieOptions) {
    super(name, options)
    const { parent, child } = spec
    const reserved = new Set(['outbox', 'meta'])
    if (reserved.has(parent.plural) || reserved.has(child.plural)) {
      throw new Error(
        `"outbox" and "meta" are the sync engine's own tables; rename ${parent.plural}/${child.plural}`,
      )
    }
    const key = child.parentKey
    this.version(1).stores({
      [parent.plural]: 'uid, &id, _sort, _pending',
      [child.plural]: `uid, &id, _sort, _pending, ${key}, [${key}+_sort]`,
      outbox: 'key',
      meta: 'key',
    })
    this.version(2)
      .stores({
        [parent.plural]: 'uid, &id, _sort, _pending, *_words, _changed',
        [child.plural]: `uid, &id, _sort, _pending, ${key}, [${key}+_sort], *_words`,
      })
      .upgrade(async (tx) => {
        for (const entity of [parent, child]) {
          await tx
            .table(entity.plural)
            .toCollection()
            .modify((record: Record<string, unknown>) => {
              Object.assign(record, searchKeys(entity, record))
            })
        }
      })
    // No upgrade function: the key is absent on every record kept from v2, and the index starts empty.
    this.version(3).stores({
      [parent.plural]: 'uid, &id, _sort, _pending, *_words, _changed, _snapshot',
      [child.plural]: `uid, &id, _sort, _pending, ${key}, [${key}+_sort], *_words, _snapshot`,
    })
    // Version 4 folds `_sort` as search folds words (sortKey): accents and ß no longer sort after "z". Same
    // indexes; every active record's key is recomputed once, in the upgrade's transaction, and written if it changed.
    this.version(4)
      .stores({})
      .upgrade(async (tx) => {
        for (const entity of [parent, child]) {
          const field = sortFieldOf(entity)
          // The `_sort` index holds active records only, which are the ones that carry the key.
          await tx
            .table(entity.plural)
            .orderBy('_sort')
            .modify((record: Record<string, unknown>) => {
              const folded = sortKey(record[field])
              // Unchanged keys are not written (false skips the put): an ASCII name folds to its lower case, so on
              // a device of 110,000 records only the accented few are rewritten, and opening stays quick.
              if (record._sort === folded) return false
              record._sort = folded
            })
        }
      })
    this.use(searchIndexMiddleware(spec))
    this.spec = spec
    this.parents = this.table(parent.plural)
    this.children = this.table(child.plural)
    this.outbox = this.table('outbox')
    this.meta = this.table('meta')
    // Created with the database, so read-only queries (live queries may not write) always find them.
    this.on('populate', (tx) => {
      void tx.table('meta').bulkAdd([
        { key: 'deviceId', value: crypto.randomUUID() },
        { key: 'nextLocalId', value: -1 },
        { key: 'cursor', value: null },
        { key: 'lastSyncedAt', value: null },
      ] satisfies MetaEntry[])
    })
  }

  /** The table of an entity, by its singular name (`spec.parent.name` or `spec.child.name`). Throws on others. */
  tableOf(entity: string): Table<StoredRecord, string> {
    if (entity === this.spec.parent.name) return this.parents
    if (entity === this.spec.child.name) return this.children
    throw new Error(
      `unknown entity "${entity}": expected "${this.spec.parent.name}" or "${this.spec.child.name}"`,
    )
  }
}

/**
 * Opens (lazily, on first use) the device database for a declaration. `options` lets tests pass
 * fake-indexeddb's `indexedDB` and `IDBKeyRange`.
 */
export function createLocalDatabase(
  spec: OneToManySpec,
  name = 'offline-sync',
  options?: DexieOptions,
): LocalDatabase {
  return new LocalDatabase(spec, name, options)
}

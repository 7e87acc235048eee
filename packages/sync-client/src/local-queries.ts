import { Dexie } from 'dexie'
import type { OneToManySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase, LocalRecord } from './local-database.ts'
import { fromStored, sortKey } from './stored-record.ts'

/**
 * Read-only queries over the indexes, safe inside dexie-react-hooks' `useLiveQuery` (they never write). Lists
 * hold active records only, ordered case-insensitively by the sort field (`name`), ties by uid; a search
 * keeps the parents whose sort field starts with it. `get*` return
 * a record in any state, tombstones included (check `isActive`), so a screen can show why a record is pending.
 */
export function createLocalQueries(db: LocalDatabase, spec: OneToManySpec) {
  const { parent, child } = spec
  /**
   * Search = the sort field (`name`) starts with the text, case- and accent-insensitively. `_sort` already holds
   * that field folded, on active records only, so a search is one range of that index: ordered, paged and counted
   * without reading the other records (a substring match over every field had to scan all of them).
   */
  const byName = (search: string | undefined) => {
    const prefix = search === undefined ? '' : sortKey(search.trim())
    return prefix ? db.parents.where('_sort').startsWith(prefix) : db.parents.orderBy('_sort')
  }

  const pending = (table: LocalDatabase['parents']) => table.where('_pending').equals(1)

  return {
    async listParents(
      opts: { search?: string; offset?: number; limit?: number } = {},
    ): Promise<LocalRecord[]> {
      let query = byName(opts.search)
      if (opts.offset) query = query.offset(opts.offset)
      if (opts.limit !== undefined) query = query.limit(opts.limit)
      return (await query.toArray()).map(fromStored)
    },

    /** How many active parents `listParents` would list with this search. */
    async countParents(opts: { search?: string } = {}): Promise<number> {
      return byName(opts.search).count()
    },

    async getParent(uid: string): Promise<LocalRecord | undefined> {
      const record = await db.parents.get(uid)
      return record && fromStored(record)
    },

    async getChild(uid: string): Promise<LocalRecord | undefined> {
      const record = await db.children.get(uid)
      return record && fromStored(record)
    },

    /** Active children of the parent with this id (negative for a parent not synced yet), by name. */
    async listChildren(parentId: number): Promise<LocalRecord[]> {
      const records = await db.children
        .where(`[${child.parentKey}+_sort]`)
        .between([parentId, Dexie.minKey], [parentId, Dexie.maxKey], true, true)
        .toArray()
      return records.map(fromStored)
    },

    /** Records whose change the server does not have yet, refused ones (see needsAttention) included. */
    async pendingCount(): Promise<number> {
      const [parents, children] = await Promise.all([
        pending(db.parents).count(),
        pending(db.children).count(),
      ])
      return parents + children
    },

    /** Records whose last change the server refused: they wait for the user to edit or discard them. */
    async needsAttention(): Promise<{ entity: string; record: LocalRecord }[]> {
      const [parents, children] = await Promise.all([
        pending(db.parents).toArray(),
        pending(db.children).toArray(),
      ])
      return [
        ...parents.filter((r) => r.syncError).map((r) => ({ entity: parent.name, record: fromStored(r) })),
        ...children.filter((r) => r.syncError).map((r) => ({ entity: child.name, record: fromStored(r) })),
      ]
    },

    async syncState(): Promise<{ lastSyncedAt: string | null; cursor: string | null; deviceId: string }> {
      const [deviceId, cursor, lastSyncedAt] = await db.meta.bulkGet(['deviceId', 'cursor', 'lastSyncedAt'])
      return {
        deviceId: String(deviceId?.value ?? ''),
        cursor: typeof cursor?.value === 'string' ? cursor.value : null,
        lastSyncedAt: typeof lastSyncedAt?.value === 'string' ? lastSyncedAt.value : null,
      }
    },
  }
}

import { Dexie, type Table } from 'dexie'
import type { OneToManySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase, LocalRecord } from './local-database.ts'
import { fromStored, type StoredRecord } from './stored-record.ts'
import { matchesAll, queryWords } from './search-words.ts'

/** One group of results: at most `limit` records by name, and whether more match. */
export interface SearchGroup {
  records: LocalRecord[]
  more: boolean
}

export interface SearchResults {
  parents: SearchGroup
  children: SearchGroup
  /** The parent of each child found, by the parent's id. */
  parentsById: Map<number, LocalRecord>
}

/** Children's order in a list: by their own name, or by their parent's name and then their own. */
export type ChildOrder = 'name' | 'parent'
/** Parents' order in a list: by name, or most recently changed first (see search-index.ts `_changed`). */
export type ParentOrder = 'name' | 'recent'

const byName = (a: StoredRecord, b: StoredRecord) =>
  (a._sort ?? '') < (b._sort ?? '') ? -1 : (a._sort ?? '') > (b._sort ?? '') ? 1 : a.uid < b.uid ? -1 : 1

/**
 * Read-only searches and sorted lists over the search index (search-index.ts), safe in a live query.
 *
 * A search reads one range of the multi-entry `_words` index, the one of its longest word (every word of the
 * query must be the start of a word of the record), and checks the other words on the records in that range; it
 * stops after `limit + 1` matches, so a one-letter query costs no more than a long one. The matches shown are
 * then put in name order.
 */
export function createLocalSearch(db: LocalDatabase, spec: OneToManySpec) {
  const parentKey = spec.child.parentKey

  async function searchTable(
    table: Table<StoredRecord, string>,
    words: string[],
    limit: number,
  ): Promise<SearchGroup> {
    const [lead, ...rest] = words
    if (lead === undefined) return { records: [], more: false }
    const found = await table
      .where('_words')
      .startsWith(lead)
      .distinct()
      .filter((r) => matchesAll(rest, r._words ?? []))
      .limit(limit + 1)
      .toArray()
    return { records: found.slice(0, limit).sort(byName).map(fromStored), more: found.length > limit }
  }

  /** The active parents of these children, by id. */
  async function parentsOf(children: readonly LocalRecord[]): Promise<Map<number, LocalRecord>> {
    const ids = [...new Set(children.map((c) => c[parentKey]).filter((id) => typeof id === 'number'))]
    const parents = await db.parents.where('id').anyOf(ids).toArray()
    return new Map(parents.map((p) => [p.id, fromStored(p)]))
  }

  return {
    parentsOf,

    /** Parents and children whose words start with every word of `query` (search-words.ts); empty for "". */
    async search(query: string, opts: { limit: number }): Promise<SearchResults> {
      const words = queryWords(query)
      const [parents, children] = await Promise.all([
        searchTable(db.parents, words, opts.limit),
        searchTable(db.children, words, opts.limit),
      ])
      return { parents, children, parentsById: await parentsOf(children.records) }
    },

    /** Active parents in this order, paged. */
    async listParents(order: ParentOrder, opts: { offset?: number; limit: number }): Promise<LocalRecord[]> {
      const query = order === 'name' ? db.parents.orderBy('_sort') : db.parents.orderBy('_changed').reverse()
      return (
        await query
          .offset(opts.offset ?? 0)
          .limit(opts.limit)
          .toArray()
      ).map(fromStored)
    },

    /** How many active children there are (the `_sort` index holds active records only). */
    countChildren(): Promise<number> {
      return db.children.orderBy('_sort').count()
    },

    /**
     * The first `limit` active children in this order. By parent: parents are walked in name order, a batch at a
     * time, each parent's children read from the `[parentKey+_sort]` index, until `limit` are found; so the cost
     * grows with what is shown, not with the table.
     */
    async listChildren(order: ChildOrder, opts: { limit: number }): Promise<LocalRecord[]> {
      if (order === 'name') {
        return (await db.children.orderBy('_sort').limit(opts.limit).toArray()).map(fromStored)
      }
      const out: StoredRecord[] = []
      const batch = 50
      for (let offset = 0; out.length < opts.limit; offset += batch) {
        const parents = await db.parents.orderBy('_sort').offset(offset).limit(batch).toArray()
        const groups = await Promise.all(
          parents.map((p) =>
            db.children
              .where(`[${parentKey}+_sort]`)
              .between([p.id, Dexie.minKey], [p.id, Dexie.maxKey], true, true)
              .limit(opts.limit)
              .toArray(),
          ),
        )
        for (const group of groups) out.push(...group)
        if (parents.length < batch) break
      }
      return out.slice(0, opts.limit).map(fromStored)
    },
  }
}

export type LocalSearch = ReturnType<typeof createLocalSearch>

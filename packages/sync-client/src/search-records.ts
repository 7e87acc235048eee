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

/**
 * How a several-word search reads the index (see `intersect`): index entries its first scan reads before it calls
 * the matches sparse, the growing numbers of keys read per word to find a word whose whole range is small, and the
 * candidate records read at a time. Every entry read costs about the same (Chromium checks each against its store),
 * so these bound the entries a search reads, not the requests.
 */
export interface SearchSizes {
  firstScan: number
  probes: number[]
  chunk: number
  /** Keys read in one batch that cost about one cursor step of the scan (a step is a round trip with a record). */
  keysPerStep: number
}
const SIZES: SearchSizes = { firstScan: 200, probes: [512, 2048, 8192], chunk: 200, keysPerStep: 8 }

const byName = (a: StoredRecord, b: StoredRecord) =>
  (a._sort ?? '') < (b._sort ?? '') ? -1 : (a._sort ?? '') > (b._sort ?? '') ? 1 : a.uid < b.uid ? -1 : 1

/**
 * Read-only searches and sorted lists over the search index (search-index.ts), safe in a live query.
 *
 * Every word of the query must be the start of a word of the record, i.e. the record is in each word's range of the
 * multi-entry `_words` index. A one-word search reads that range and stops after `limit + 1` records, so a
 * one-letter query costs no more than a long one; a several-word search starts from its rarest word's range
 * (`intersect`). The matches shown are then put in name order.
 */
export function createLocalSearch(
  db: LocalDatabase,
  spec: OneToManySpec,
  /** Smaller sizes let a test reach every path of `intersect` with a few records. */
  sizes: SearchSizes = SIZES,
) {
  const parentKey = spec.child.parentKey

  /**
   * Records in a word's index range, in index order, until `limit + 1` also carry the other words, or until
   * `entries` index entries were read (then `stopped` is true: there may be more).
   */
  async function scan(
    table: Table<StoredRecord, string>,
    lead: string,
    rest: string[],
    limit: number,
    entries = Infinity,
  ): Promise<{ found: StoredRecord[]; stopped: boolean }> {
    let read = 0
    const found = await table
      .where('_words')
      .startsWith(lead)
      .until(() => ++read > entries)
      .distinct()
      .filter((r) => matchesAll(rest, r._words ?? []))
      .limit(limit + 1)
      .toArray()
    return { found, stopped: read > entries }
  }

  async function searchTable(
    table: Table<StoredRecord, string>,
    words: string[],
    limit: number,
  ): Promise<SearchGroup> {
    const [lead, ...rest] = words
    if (lead === undefined) return { records: [], more: false }
    const found =
      rest.length === 0 ? (await scan(table, lead, rest, limit)).found : await intersect(table, words, limit)
    return { records: found.slice(0, limit).sort(byName).map(fromStored), more: found.length > limit }
  }

  /**
   * Several words. A scan of the longest word's range that checks the others costs one cursor step per entry of
   * that range: fine when matches are dense ("head baker"), but a common word with a rare one ("zoe.12@compa":
   * "compa" starts a word of all 110,000 records, "12" of 1,111) read nearly the whole index to find a few.
   * So the scan stops after `firstScan` entries; if it found `limit + 1` matches or the whole range by then, that is
   * the answer (the same as the full scan's). Otherwise the matches are sparse: each word's range is read as keys
   * only, up to a growing number of entries, until one is read whole; the smallest whole range is the base, its
   * keys are kept when every other whole range holds them too, and those records are read a chunk at a time and
   * checked for the remaining words until `limit + 1` match (when probing would read more than the rest of the
   * scan, the scan goes on instead). The matches are the same; when more than `limit`
   * match, the ones shown are the first in the base word's range rather than the longest word's. Only when no
   * range is small does the scan go on to the end.
   */
  async function intersect(
    table: Table<StoredRecord, string>,
    words: string[],
    limit: number,
  ): Promise<StoredRecord[]> {
    const [lead, ...rest] = words as [string, ...string[]]
    const first = await scan(table, lead, rest, limit, sizes.firstScan)
    if (!first.stopped || first.found.length > limit) return first.found
    // What the scan would still read at the density seen so far (no bound when nothing matched yet): probing
    // costs more than that when matches are merely thin ("head baker ad"), then the scan goes on instead.
    const toRead =
      first.found.length === 0
        ? Infinity
        : ((limit + 1 - first.found.length) * sizes.firstScan) / first.found.length
    for (const cap of sizes.probes) {
      if (words.length * cap > toRead * sizes.keysPerStep) break
      const probes = await Promise.all(
        words.map(async (word) => {
          const keys = await table.where('_words').startsWith(word).limit(cap).primaryKeys()
          return { whole: keys.length < cap, keys: [...new Set(keys)] }
        }),
      )
      const [base, ...others] = probes.filter((p) => p.whole).sort((a, b) => a.keys.length - b.keys.length)
      if (base) return fromBase(table, words, base.keys, others, limit)
    }
    return (await scan(table, lead, rest, limit)).found
  }

  /** The records of `base` also in every `others` range and carrying every word, until `limit + 1`. */
  async function fromBase(
    table: Table<StoredRecord, string>,
    words: string[],
    base: string[],
    others: { keys: string[] }[],
    limit: number,
  ): Promise<StoredRecord[]> {
    const inOthers = others.map((p) => new Set(p.keys))
    const candidates = base.filter((uid) => inOthers.every((keys) => keys.has(uid)))
    const found: StoredRecord[] = []
    for (let i = 0; i < candidates.length && found.length <= limit; i += sizes.chunk) {
      const records = await table.bulkGet(candidates.slice(i, i + sizes.chunk))
      // Every word is checked on the record itself: it may have changed since its key was read.
      for (const r of records) if (r && matchesAll(words, r._words ?? [])) found.push(r)
    }
    return found.slice(0, limit + 1)
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

import type { SqlExecutor } from './ports.ts'
import type { EntityTable } from './sync-entities.ts'
import type { ServerRow } from './read-back.ts'
import { encodePageToken, type PageEntity, type PageToken } from './page-token.ts'
import { pageTotalsSql } from './sql/page-sql.ts'

/** Rule G1's bounds. */
export interface PageBounds {
  /** Records in a page after the first. */
  records: number
  /** Records in the first page of a download (small, so the first screen fills fast). */
  firstRecords: number
  /** Bytes of record JSON in a page (a single wider record still makes a page of one). */
  bytes: number
}

export const DEFAULT_PAGE_BOUNDS: PageBounds = { records: 2000, firstRecords: 200, bytes: 1024 * 1024 }

export interface Page {
  cursor: string
  parents: ServerRow[]
  children: ServerRow[]
  next: string | null
  total: { parents: number; children: number }
}

/**
 * Rule G1/G8: where a download pinned at snapshot `cursor` starts, with its totals. The totals are counted
 * outside any writer's lock; rows only ever leave the set `version <= cursor` (an edit or delete after it), so
 * they count what the pages can still hold at most.
 */
export async function startOfDownload(db: SqlExecutor, tables: Tables, cursor: string): Promise<PageToken> {
  const [row] = await db.query<{ parents: number; children: number }>(
    pageTotalsSql(tables[0].spec, tables[1].spec),
    [cursor],
  )
  return {
    cursor,
    total: { parents: row?.parents ?? 0, children: row?.children ?? 0 },
    entity: 'parents',
    after: { key: '', id: 0 },
  }
}

type Tables = readonly [EntityTable, EntityTable]

/**
 * Rules G1–G3: the page at `from`: parents in list order, then children by id, only rows with version <= C,
 * at most `limit` records and `bounds.bytes` bytes. One entity per page; an entity with nothing left is passed
 * over in the same request, so a page holds at least one record while any remain. Each statement reads at most
 * one page of rows, so the server's memory for a request is bounded by the page, not the table.
 */
export async function readPage(
  db: SqlExecutor,
  tables: Tables,
  from: PageToken,
  limit: number,
  bytes: number,
): Promise<Page> {
  const page: Page = { cursor: from.cursor, parents: [], children: [], next: null, total: from.total }
  let at: PageToken | null = from
  while (at) {
    const table: EntityTable = at.entity === 'parents' ? tables[0] : tables[1]
    // One row more than the page takes tells whether any remain.
    const rows: PageRow[] = await db.query<PageRow>(table.sql.selectPage, [
      at.cursor,
      at.after.key,
      at.after.id,
      limit + 1,
      bytes,
    ])
    const taken = rows.filter((row) => Number(row._n) <= limit)
    const more = rows.length > taken.length || Number(rows[0]?._of ?? 0) > rows.length
    const last = taken.at(-1)
    const records = taken.map(wireRow)
    if (at.entity === 'parents') page.parents = records
    else page.children = records
    const following: PageToken | null =
      last && more
        ? { ...at, after: { key: at.entity === 'parents' ? String(last._k) : '', id: Number(last.id) } }
        : nextEntity(at)
    if (records.length > 0) {
      page.next = following ? encodePageToken(following) : null
      return page
    }
    at = following
  }
  return page
}

function nextEntity(at: PageToken): PageToken | null {
  const entity: PageEntity | null = at.entity === 'parents' && at.total.children > 0 ? 'children' : null
  return entity ? { ...at, entity, after: { key: '', id: 0 } } : null
}

interface PageRow extends ServerRow {
  id: number
  _k: string
  _n: number | string
  _of: number | string
}

/** The record as it goes on the wire: without the page's bookkeeping columns. */
function wireRow(row: PageRow): ServerRow {
  const { _k, _n, _of, _b, ...record } = row
  return record
}

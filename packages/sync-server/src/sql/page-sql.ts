import { fieldNames, type EntitySpec } from '@offline-sync/sync-protocol'
import { quoteIdent as q } from './identifiers.ts'
import { SORT_KEY_CHARS } from '../page-token.ts'

/**
 * Rules G1–G3: one page of an entity's rows at snapshot C, in keyset order, bounded by records and bytes.
 * Parents are ordered by their sort field (the first declared field, as the app's list) then id; children by id.
 * The parent key is left(field, 64): the token must hold it (page-token.ts), and the migration
 * 20261202140000_page_keyset indexes exactly that expression for Company.
 *
 * Parameters: $1 = C, $2 = the last sort key sent (parents only), $3 = the last id sent, $4 = at most this many
 * rows, $5 = at most this many bytes of record JSON (the first row always counts, however wide).
 * Returns the wire columns of `columns` plus `_k` (the row's sort key), `_n` (its place), `_of` (how many rows
 * the record bound let through, before the byte bound): fewer rows back than `_of`, or `_of` = $4, means more
 * may remain. The byte bound is applied in SQL, so no more than a page of rows ever reaches the server's memory.
 */
export function pageSql(entity: EntitySpec, columns: string, ordered: 'by-sort-key' | 'by-id'): string {
  const table = q(entity.table)
  const [first] = fieldNames(entity)
  const sortField = first === undefined ? undefined : entity.fields[first]
  const key =
    ordered === 'by-id' || first === undefined
      ? `''::text`
      : sortField?.required
        ? `left(t.${q(first)}, ${SORT_KEY_CHARS})`
        : `left(COALESCE(t.${q(first)}, ''), ${SORT_KEY_CHARS})`
  const after =
    ordered === 'by-id' || first === undefined
      ? `t.id > $3::int AND $2::text IS NOT NULL`
      : `(${key}, t.id) > ($2::text, $3::int)`
  const order = ordered === 'by-id' || first === undefined ? 't.id' : `${key}, t.id`
  return (
    `WITH w AS (SELECT ${columns}, ${key} AS "_k" FROM ${table} AS t ` +
    `WHERE t.version <= $1::bigint AND ${after} ORDER BY ${order} LIMIT $4::int), ` +
    `s AS (SELECT w.*, row_number() OVER o AS "_n", count(*) OVER () AS "_of", ` +
    `sum(octet_length(row_to_json(w)::text)) OVER o AS "_b" FROM w ` +
    `WINDOW o AS (ORDER BY w."_k", w.id ROWS UNBOUNDED PRECEDING)) ` +
    `SELECT * FROM s WHERE s."_n" = 1 OR s."_b" <= $5::bigint ORDER BY s."_n"`
  )
}

/** Rule G1: how many rows of each table a download at snapshot $1 holds (both use the index on version). */
export const pageTotalsSql = (parent: EntitySpec, child: EntitySpec): string =>
  `SELECT (SELECT count(*) FROM ${q(parent.table)} WHERE version <= $1::bigint)::int AS parents, ` +
  `(SELECT count(*) FROM ${q(child.table)} WHERE version <= $1::bigint)::int AS children`

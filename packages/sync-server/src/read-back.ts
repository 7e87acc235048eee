import type { Overwrite } from '@offline-sync/sync-protocol'
import { OVERWRITTEN_SINCE_JSON } from './receipts.ts'
import type { EntityTable } from './sync-entities.ts'

export type ReadMode = { mode: 'full' } | { mode: 'delta'; since: string }

/**
 * Rule R15/R16: full when the device has no cursor, one from the future (a reset database, or forged), or one
 * older than the tombstone floor (the deletes it missed were pruned); otherwise a delta since its cursor.
 * `committed` is the newest version whose writes are all visible to this sync.
 */
export function chooseReadMode(
  requestCursor: string | null | undefined,
  committed: bigint,
  floor: bigint,
): ReadMode {
  if (requestCursor === null || requestCursor === undefined) return { mode: 'full' }
  const since = BigInt(requestCursor)
  if (since > committed || since < floor) return { mode: 'full' }
  return { mode: 'delta', since: requestCursor }
}

export type ServerRow = Record<string, unknown>

export interface ReadBack {
  parents: ServerRow[]
  children: ServerRow[]
  removedParents: number[]
  removedChildren: number[]
}

const deltaColumns = (parent: EntityTable, child: EntityTable, when = (e: string) => e) =>
  [
    `${when(parent.sql.changedSinceJson)} AS parents`,
    `${when(child.sql.changedSinceJson)} AS children`,
    `${when(parent.sql.removedSinceJson)} AS "removedParents"`,
    `${when(child.sql.removedSinceJson)} AS "removedChildren"`,
  ].join(', ')

/**
 * The rows and removed ids since $1 (a cursor) of both tables, as four JSON arrays in one row (one statement, so
 * one round trip and one snapshot), less the rows a writing sync acknowledges instead (rule G7): $2 = its version,
 * $3 / $4 = the parent / child ids it may acknowledge (JSON arrays).
 */
export const unackedDeltaSql = (parent: EntityTable, child: EntityTable): string =>
  `SELECT ${parent.sql.changedSinceUnackedJson} AS parents, ` +
  `${child.sql.changedSinceUnackedJson.replaceAll('$3::json', '$4::json')} AS children, ` +
  `${parent.sql.removedSinceJson} AS "removedParents", ${child.sql.removedSinceJson} AS "removedChildren"`

export interface ReadOnlyRow extends Partial<ReadBack> {
  cursor: string
  floor: string
  /** The request hash of a receipt under this (deviceId, syncId), if one exists. */
  receiptHash: string | null
  /** Rule M5: this device's values replaced by others since its cursor (all kept ones for a full read). */
  overwritten?: Overwrite[]
}

/**
 * A sync that sends nothing, in ONE statement outside any transaction: the committed cursor and floor, the
 * receipt (if any) of this attempt, and, when the device's cursor allows a delta (the same test as
 * chooseReadMode), what changed since it. $1 = the device's cursor or null, $2 = deviceId, $3 = syncId.
 * One statement is one snapshot: any writer whose version is <= the cursor read here is visible in full, and
 * a later writer is wholly invisible, so its rows come next time. The CASE evaluates the subqueries only when
 * the answer is a delta; a full answer is read afterwards, a page at a time (read-page.ts).
 */
export const readOnlySql = (parent: EntityTable, child: EntityTable): string => {
  const delta = '($1::bigint IS NOT NULL AND $1::bigint <= s.cursor AND $1::bigint >= s.floor)'
  return (
    'WITH s AS (SELECT COALESCE(max(cursor), 0) AS cursor, COALESCE(max("tombstoneFloor"), 0) AS floor ' +
    'FROM "SyncState" WHERE id = 1) ' +
    'SELECT s.cursor::text AS cursor, s.floor::text AS floor, ' +
    '(SELECT "requestHash" FROM "SyncReceipt" WHERE "deviceId" = $2::uuid AND "syncId" = $3::uuid) AS "receiptHash", ' +
    `${OVERWRITTEN_SINCE_JSON.replace('$1::bigint', `(CASE WHEN ${delta} THEN $1::bigint ELSE 0 END)`)} AS overwritten, ` +
    `${deltaColumns(parent, child, (e) => `CASE WHEN ${delta} THEN ${e} END`)} FROM s`
  )
}

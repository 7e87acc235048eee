import type { IdMap, Overwrite, Rejection } from '@offline-sync/sync-protocol'
import type { SqlExecutor } from './ports.ts'
import { SyncIdReusedError } from './errors.ts'
import { FIND_RECEIPT, INSERT_RECEIPT_AND_TOMBSTONES } from './sql/sync-state-sql.ts'
import type { ReadMode } from './read-back.ts'

/** What a receipt remembers of an applied sync: enough to answer a resend without applying it again (rule R9). */
export interface SyncOutcome {
  /** Entity name (`company`, `contact`) → its id map. */
  idMaps: Record<string, IdMap>
  rejected: Rejection[]
  /** Rule M6: a resend gets the same overwrite entries as the first answer. */
  overwrites: Overwrite[]
  /** The sync's version (absent in receipts from before protocol version 3). */
  version?: string
  /** Rule G7: entity name → ids this sync wrote that the device holds whole; a resend acknowledges them alike. */
  acked?: Record<string, number[]>
}

/**
 * The recorded outcome of (deviceId, syncId), or null when this attempt is new.
 * Throws SyncIdReusedError when the attempt is recorded under a hash other than `hashes` (the request's own, and
 * the one a receipt from before owners were hashed would carry).
 */
export async function findReceipt(
  tx: SqlExecutor,
  request: { deviceId: string; syncId: string },
  hashes: readonly string[],
): Promise<SyncOutcome | null> {
  const [row] = await tx.query<{ hash: string; outcome: string }>(FIND_RECEIPT, [
    request.deviceId,
    request.syncId,
  ])
  if (!row) return null
  if (!hashes.includes(row.hash)) throw new SyncIdReusedError(request.deviceId, request.syncId)
  return JSON.parse(row.outcome) as SyncOutcome
}

/**
 * Records the outcome in the sync's own transaction, so it exists if and only if the changes were committed,
 * together with the tombstones of the rows this sync deleted (one statement).
 * A concurrent duplicate cannot get here: it waits on the writers' lock and then finds this receipt.
 */
export async function saveReceipt(
  tx: SqlExecutor,
  request: { deviceId: string; syncId: string },
  hash: string,
  outcome: SyncOutcome,
  tombstones: { readonly entity: string; readonly id: number }[],
  version: string,
): Promise<void> {
  await tx.query(INSERT_RECEIPT_AND_TOMBSTONES, [
    request.deviceId,
    request.syncId,
    hash,
    JSON.stringify(outcome),
    JSON.stringify(tombstones),
    version,
  ])
}

const INSERT_OVERWRITES =
  'INSERT INTO "Overwrite" ("deviceId", version, entry) ' +
  'SELECT x."deviceId"::uuid, $2::bigint, x.entry FROM jsonb_to_recordset($1::jsonb) AS x("deviceId" text, entry jsonb)'

/**
 * Rule M5: stores each overwrite for the device whose value was replaced, in the sync's own transaction (one
 * statement, none when there are none). Pruned with the receipts.
 */
export async function saveOverwrites(
  tx: SqlExecutor,
  notices: readonly { deviceId: string; entry: Overwrite }[],
  version: string,
): Promise<void> {
  if (notices.length === 0) return
  await tx.query(INSERT_OVERWRITES, [JSON.stringify(notices), version])
}

/** Selects the overwrites stored for device $1 after cursor $2, oldest first, as one JSON array. */
export const OVERWRITTEN_SINCE_JSON =
  '(SELECT COALESCE(json_agg(o.entry ORDER BY o.id), \'[]\'::json) FROM "Overwrite" AS o ' +
  'WHERE o."deviceId" = $2::uuid AND o.version > $1::bigint)'

/**
 * Rule M5: the overwrites of this device's values since its cursor (all that are kept, in a full sync: the
 * device drops the ones it already holds by entity, uid, field and version).
 */
export async function readOverwritten(
  tx: SqlExecutor,
  deviceId: string,
  read: ReadMode,
): Promise<Overwrite[]> {
  const since = read.mode === 'delta' ? read.since : '0'
  const [row] = await tx.query<{ entries: Overwrite[] | string }>(
    `SELECT ${OVERWRITTEN_SINCE_JSON} AS entries`,
    [since, deviceId],
  )
  const entries = row?.entries ?? []
  return typeof entries === 'string' ? (JSON.parse(entries) as Overwrite[]) : entries
}

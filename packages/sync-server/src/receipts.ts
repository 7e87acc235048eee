import type { IdMap, Rejection } from '@offline-sync/protocol'
import type { SqlExecutor } from './ports.ts'
import { SyncIdReusedError } from './errors.ts'
import { FIND_RECEIPT, INSERT_RECEIPT_AND_TOMBSTONES } from './sql/sync-state-sql.ts'

/** What a receipt remembers of an applied sync: enough to answer a resend without applying it again (rule R9). */
export interface SyncOutcome {
  /** Entity name (`company`, `contact`) → its id map. */
  idMaps: Record<string, IdMap>
  rejected: Rejection[]
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

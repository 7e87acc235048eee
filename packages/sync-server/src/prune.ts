import type { SqlDatabase } from './ports.ts'

export interface PruneResult {
  tombstonesRemoved: number
  receiptsRemoved: number
  overwritesRemoved: number
  /** Devices whose cursor is below this get a full sync from now on (rule R15). */
  tombstoneFloor: string
}

// Raising the floor takes the SyncState row lock, so it never interleaves with a writing sync; the floor is the
// newest version among the expired tombstones, and every tombstone at or below it goes, keeping the invariant
// "a cursor >= floor has every tombstone it needs".
const RAISE_FLOOR =
  'UPDATE "SyncState" SET "tombstoneFloor" = GREATEST("tombstoneFloor", COALESCE((SELECT max(version) FROM "Tombstone" ' +
  `WHERE "deletedAt" < now() - $1::double precision * interval '1 day'), 0)) WHERE id = 1 RETURNING "tombstoneFloor"::text AS floor`
const DELETE_TOMBSTONES =
  'WITH gone AS (DELETE FROM "Tombstone" WHERE version <= $1::bigint RETURNING 1) SELECT count(*)::int AS n FROM gone'
// Once a receipt is gone, a resend of that attempt would be applied again (adds stay exactly-once by uid,
// rule R10); so keep receipts longer than any device keeps retrying one attempt.
const DELETE_RECEIPTS =
  'WITH gone AS (DELETE FROM "SyncReceipt" WHERE "createdAt" < now() - $1::double precision * interval \'1 day\' RETURNING 1) ' +
  'SELECT count(*)::int AS n FROM gone'

// Rule M5: an overwrite a device has not collected by then is as stale as a receipt.
const DELETE_OVERWRITES =
  'WITH gone AS (DELETE FROM "Overwrite" WHERE "createdAt" < now() - $1::double precision * interval \'1 day\' RETURNING 1) ' +
  'SELECT count(*)::int AS n FROM gone'

/**
 * Removes tombstones and receipts older than their retention, in one transaction. Atomic; throws on a
 * database error (nothing removed). Safe to run while devices sync.
 */
export async function pruneSyncHistory(
  db: SqlDatabase,
  retention: { tombstoneDays: number; receiptDays: number },
): Promise<PruneResult> {
  return db.transaction(async (tx) => {
    const [state] = await tx.query<{ floor: string }>(RAISE_FLOOR, [retention.tombstoneDays])
    const floor = state?.floor ?? '0'
    const [tombstones] = await tx.query<{ n: number }>(DELETE_TOMBSTONES, [floor])
    const [receipts] = await tx.query<{ n: number }>(DELETE_RECEIPTS, [retention.receiptDays])
    const [overwrites] = await tx.query<{ n: number }>(DELETE_OVERWRITES, [retention.receiptDays])
    return {
      tombstonesRemoved: tombstones?.n ?? 0,
      receiptsRemoved: receipts?.n ?? 0,
      overwritesRemoved: overwrites?.n ?? 0,
      tombstoneFloor: floor,
    }
  })
}

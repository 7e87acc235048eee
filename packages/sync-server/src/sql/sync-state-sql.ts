/**
 * Statements on the bookkeeping tables (SyncState, Tombstone, SyncReceipt). These tables are fixed by
 * prisma/schema.prisma, not by the declaration.
 */

/**
 * Takes the writers' lock and the version of this sync in one statement. The row lock on SyncState id=1 is
 * held until commit, so writing syncs run one after another (READ COMMITTED); the incremented cursor stamps
 * every row and tombstone this sync writes. Returns { version, floor }.
 */
export const TAKE_LOCK_AND_VERSION =
  'INSERT INTO "SyncState" (id, cursor) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET cursor = "SyncState".cursor + 1 ' +
  'RETURNING cursor::text AS version, "tombstoneFloor"::text AS floor'

/** The committed cursor and tombstone floor, for syncs that write nothing. No row yet means nothing was ever written. */
export const READ_CURSOR =
  'SELECT cursor::text AS cursor, "tombstoneFloor"::text AS floor FROM "SyncState" WHERE id = 1'

export const FIND_RECEIPT =
  'SELECT "requestHash" AS hash, outcome::text AS outcome FROM "SyncReceipt" WHERE "deviceId" = $1::uuid AND "syncId" = $2::uuid'

/**
 * Records a writing sync's receipt and its tombstones in one statement (one round trip fewer; a data-modifying
 * CTE runs whether or not it is referenced). $1 deviceId, $2 syncId, $3 request hash, $4 outcome (JSON),
 * $5 = [{ entity, id }] of deleted rows (may be empty), $6 = version.
 */
export const INSERT_RECEIPT_AND_TOMBSTONES =
  'WITH t AS (INSERT INTO "Tombstone" (entity, "recordId", version) ' +
  'SELECT x.entity, x.id, $6::bigint FROM json_to_recordset($5::json) AS x(entity text, id int)) ' +
  'INSERT INTO "SyncReceipt" ("deviceId", "syncId", "requestHash", outcome) VALUES ($1::uuid, $2::uuid, $3, $4::jsonb)'

/**
 * Announces a committed write: $1 channel, $2 payload. pg_notify returns void, which drivers cannot all decode,
 * so the statement returns a count instead.
 */
export const NOTIFY_CHANGE = 'SELECT count(*)::int AS sent FROM (SELECT pg_notify($1, $2)) AS notice'

/**
 * Prepares the server's data before a measurement: empties every table the engine touches and loads the base
 * data set of a scale in two statements. Not timed; it only has to be quick enough to run before each repetition.
 */
import type { SqlExecutor } from '@offline-sync/sync-server'
import { baseData } from './workload.ts'

/** The cursor the seeded rows carry; a device that applied the seed as a full sync holds this cursor. */
export const SEEDED_CURSOR = '1'

export async function resetAndSeed(db: SqlExecutor, scale: number): Promise<void> {
  await db.query(
    'TRUNCATE "Contact", "Company", "Tombstone", "SyncReceipt", "SyncState" RESTART IDENTITY CASCADE',
  )
  const { companies, contacts } = baseData(scale)
  await db.query(
    'INSERT INTO "Company" (id, uid, name, address, phone, email, website, version) ' +
      'SELECT x.id, x.uid, x.name, x.address, x.phone, x.email, x.website, $2::bigint FROM jsonb_to_recordset($1::jsonb) ' +
      'AS x(id int, uid uuid, name text, address text, phone text, email text, website text)',
    [JSON.stringify(companies), SEEDED_CURSOR],
  )
  await db.query(
    'INSERT INTO "Contact" (id, uid, "companyId", name, "jobTitle", email, phone, version) ' +
      'SELECT x.id, x.uid, x."companyId", x.name, x."jobTitle", x.email, x.phone, $2::bigint FROM jsonb_to_recordset($1::jsonb) ' +
      'AS x(id int, uid uuid, "companyId" int, name text, "jobTitle" text, email text, phone text)',
    [JSON.stringify(contacts), SEEDED_CURSOR],
  )
  // Explicit ids leave the sequences behind; new rows must continue after the seeded ones.
  for (const table of ['Company', 'Contact']) {
    await db.query(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`,
    )
  }
  await db.query('INSERT INTO "SyncState" (id, cursor, "tombstoneFloor") VALUES (1, $1::bigint, 0)', [
    SEEDED_CURSOR,
  ])
  // Fresh statistics, so every contender gets the same query plans on the freshly loaded tables.
  await db.query('ANALYZE "Company", "Contact", "Tombstone", "SyncReceipt", "SyncState"')
}

/** Row counts, to check that every contender left the same data behind. */
export async function countRows(db: SqlExecutor): Promise<{ companies: number; contacts: number }> {
  const [row] = await db.query<{ companies: number; contacts: number }>(
    'SELECT (SELECT count(*)::int FROM "Company") AS companies, (SELECT count(*)::int FROM "Contact") AS contacts',
  )
  return row ?? { companies: -1, contacts: -1 }
}

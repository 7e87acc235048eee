import type { SqlExecutor } from '@offline-sync/sync-server'

/**
 * Tables whose rows move on every request by design, refused or not: rate-limit buckets count attempts. Session
 * rows stay compared, minus the columns that slide with use (see VOLATILE_COLUMNS).
 */
const SKIPPED_TABLES = new Set(['_prisma_migrations', 'RateLimitBucket'])
const VOLATILE_COLUMNS: Record<string, string[]> = { Session: ['lastSeenAt', 'expiresAt'] }

/** The tables issue 4 names; a snapshot that misses one of them would prove nothing about it. */
export const REQUIRED_TABLES = ['Company', 'Contact', 'Tombstone', 'SyncReceipt', 'SyncState'] as const
export const ACCOUNT_TABLES = ['User', 'Session'] as const

/** The data tables a 200 answer with rejections must leave alone (its receipt and cursor may move). */
export const RECORD_TABLES = ['Company', 'Contact', 'Tombstone'] as const

export type TableSnapshot = Record<string, unknown[] | undefined>

/**
 * Every row of every table in the public schema, as JSON, in a stable order. Discovering the tables (rather
 * than listing them) means a table added later is covered without editing this file.
 */
export async function snapshotTables(db: SqlExecutor): Promise<TableSnapshot> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )
  const snapshot: TableSnapshot = {}
  for (const { name } of tables) {
    if (SKIPPED_TABLES.has(name)) continue
    const drop = VOLATILE_COLUMNS[name] ?? []
    const quoted = `"${name.replace(/"/g, '""')}"`
    // to_jsonb(t) - 'col' drops the sliding columns; ordering by the whole row text makes the order stable.
    const rows = await db.query<{ row: unknown }>(
      `SELECT to_jsonb(t) ${drop.map((c) => `- '${c}'`).join(' ')} AS row FROM ${quoted} AS t ORDER BY to_jsonb(t)::text`,
    )
    snapshot[name] = rows.map((r) => r.row)
  }
  return snapshot
}

/** The same snapshot restricted to some tables. */
export function pick(snapshot: TableSnapshot, tables: readonly string[]): TableSnapshot {
  return Object.fromEntries(tables.map((t) => [t, snapshot[t]]))
}

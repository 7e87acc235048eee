/**
 * The benchmark's own throwaway server database: with `DATABASE_URL`, a fresh database created on that
 * Postgres server (next to the one the URL names) and dropped afterwards; without it, in-memory PGlite.
 * Either way migrated by the project's own migrations, exactly like the test suite's databases.
 */
import { createTestDatabase } from '@offline-sync/db/testing'
import type { DbHandle } from '@offline-sync/db'

export interface BenchDatabase {
  handle: DbHandle
  kind: 'postgres' | 'pglite'
  /** Where it runs, for the report (host and port only: never credentials). */
  where: string
  close(): Promise<void>
}

export async function openBenchDatabase(databaseUrl = process.env.DATABASE_URL): Promise<BenchDatabase> {
  if (databaseUrl) {
    // createTestDatabase creates its random database on TEST_DATABASE_URL's server.
    process.env.TEST_DATABASE_URL = databaseUrl
    const handle = await createTestDatabase('postgres')
    const url = new URL(databaseUrl)
    return {
      handle,
      kind: 'postgres',
      where: `Postgres at ${url.hostname}:${url.port || '5432'}`,
      close: () => handle.close(),
    }
  }
  const handle = await createTestDatabase('pglite')
  return { handle, kind: 'pglite', where: 'PGlite in memory', close: () => handle.close() }
}

/** Server version (PGlite reports the Postgres version it embeds), for the report. */
export async function serverVersion(handle: DbHandle): Promise<string> {
  const [row] = await handle.sql.query<{ v: string }>("SELECT current_setting('server_version') AS v")
  return row?.v ?? 'unknown'
}

// Throwaway, migrated databases for tests. Each call gets its own database, so test files can run in parallel.
import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { migrate } from './migrate.ts'
import { openDatabase, pgliteDatabase, type DbHandle } from './open-database.ts'
import { adminStatement as admin } from './postgres-adapter.ts'

export type TestDatabaseKind = 'postgres' | 'pglite'

const defaultServerUrl = 'postgresql://postgres@127.0.0.1:5432/postgres'

/**
 * The database kinds the suite runs on: both by default; `TEST_DB=pglite` or `TEST_DB=postgres` restricts it
 * (CI runs the suite once per kind). Use with `describe.each(testDatabaseKinds())`.
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const only = process.env.TEST_DB?.trim()
  if (only === 'postgres' || only === 'pglite') return [only]
  if (only) throw new Error(`TEST_DB must be "postgres" or "pglite", not "${only}"`)
  return ['postgres', 'pglite']
}

/**
 * A new, fully migrated database (empty instead with `{ migrate: false }`). Postgres: a database with a random
 * name on `TEST_DATABASE_URL`'s server (default `postgresql://postgres@127.0.0.1:5432/postgres`), dropped
 * WITH (FORCE) by `close()`; `url` points at it. PGlite: in memory, gone on `close()`. Throws when the server
 * cannot be reached or migrations fail (the half-made database is dropped first).
 */
export async function createTestDatabase(
  kind: TestDatabaseKind,
  opts: { migrate?: boolean } = {},
): Promise<DbHandle & { url?: string }> {
  const migrated = opts.migrate ?? true
  if (kind === 'pglite') {
    if (!migrated) return openDatabase({ dataDir: 'memory://' })
    const template = await migratedPgliteTemplate()
    return pgliteDatabase(await PGlite.create('memory://', { loadDataDir: template }))
  }

  const serverUrl = process.env.TEST_DATABASE_URL ?? defaultServerUrl
  const name = `test_${randomUUID().replace(/-/g, '')}`
  await admin(serverUrl, `CREATE DATABASE "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ databaseUrl: url.toString() })
  const closeHandle = handle.close.bind(handle)
  let closed: Promise<void> | undefined
  const testHandle: DbHandle & { url: string } = {
    ...handle,
    url: url.toString(),
    close() {
      closed ??= (async () => {
        try {
          await closeHandle()
        } finally {
          await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
        }
      })()
      return closed
    },
  }
  return migrated ? migrateOrClose(testHandle) : testHandle
}

async function migrateOrClose<H extends DbHandle>(handle: H): Promise<H> {
  try {
    await migrate(handle)
    return handle
  } catch (error) {
    await handle.close()
    throw error
  }
}

let pgliteTemplate: Promise<File | Blob> | undefined

/**
 * A dump of a freshly migrated PGlite data directory, made once per process: loading it skips initdb and
 * the migrations, which makes each PGlite test database about twice as fast to create.
 */
function migratedPgliteTemplate(): Promise<File | Blob> {
  if (pgliteTemplate) return pgliteTemplate
  const attempt = (async () => {
    const pglite = await PGlite.create('memory://')
    const handle = pgliteDatabase(pglite)
    try {
      await migrate(handle)
      return await pglite.dumpDataDir('none')
    } finally {
      await handle.close()
    }
  })()
  pgliteTemplate = attempt
  // A failed attempt is not cached: the next test gets a fresh try and its own error.
  attempt.catch(() => {
    if (pgliteTemplate === attempt) pgliteTemplate = undefined
  })
  return attempt
}

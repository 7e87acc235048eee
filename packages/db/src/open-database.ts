import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type {
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import type { SqlDatabase } from '@offline-sync/server-engine'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from './generated/client.ts'
import { lockFolder } from './folder-lock.ts'
import { pgliteMigrationAdapterFactory } from './pglite-adapter.ts'
import { postgresAdapterFactory, postgresMigrationAdapterFactory } from './postgres-adapter.ts'
import { prismaSqlDatabase } from './sql-database.ts'
import { listenPglite, listenPostgres, type NoticeHandlers, type NoticeListener } from './change-listener.ts'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Where the embedded database lives when no `dataDir` is given. */
export const defaultPgliteDir = join(repoRoot, 'data/pglite')

export interface OpenDatabaseOptions {
  /** A `postgresql://` URL. When absent the embedded PGlite database is used. */
  databaseUrl?: string
  /** PGlite folder (created if missing); `'memory://'` keeps it in memory. Ignored with `databaseUrl`. */
  dataDir?: string
  /** Receives connection-level warnings (pool errors) that would otherwise be lost. */
  log?: (message: string) => void
}

/**
 * An open database: one Prisma client and the engine's SQL port on top of it. Opening runs no migrations
 * (see `migrate`). Do not use it after `close()` (on PGlite queries then throw DatabaseUnavailableError; a
 * Prisma client on Postgres would quietly reconnect).
 */
export interface DbHandle {
  kind: 'postgres' | 'pglite'
  prisma: PrismaClient
  sql: SqlDatabase
  /** What the schema engine migrates through: the same database, plus a way to open a throwaway shadow one. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory
  /** Runs `SELECT 1`; throws `DatabaseUnavailableError` when the database cannot be reached. */
  ping(): Promise<void>
  /**
   * LISTENs on `channels` (plain lower-case names) until the listener is closed; resolves once listening. On
   * Postgres this holds one dedicated connection, reopened when it drops (then `handlers.resumed` is called).
   * Close listeners before `close()`.
   */
  listen(channels: readonly string[], handlers: NoticeHandlers): Promise<NoticeListener>
  /** Disconnects Prisma and, for PGlite, closes the embedded database (flushing it to disk). */
  close(): Promise<void>
}

/** Opens Postgres when `databaseUrl` is given, else the embedded PGlite database. Does not connect eagerly. */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<DbHandle> {
  const log = opts.log ?? (() => {})
  if (opts.databaseUrl !== undefined && opts.databaseUrl !== '') {
    const prismaAdapter = postgresAdapterFactory(opts.databaseUrl, log)
    const databaseUrl = opts.databaseUrl
    return handle(
      'postgres',
      prismaAdapter,
      postgresMigrationAdapterFactory(databaseUrl, log),
      (channels, handlers) => listenPostgres(databaseUrl, channels, handlers),
      async () => {},
    )
  }

  const dataDir = opts.dataDir ?? defaultPgliteDir
  if (dataDir.startsWith('memory://')) return pgliteDatabase(await PGlite.create(dataDir))
  await mkdir(dataDir, { recursive: true })
  // One process per PGlite folder: PGlite has no locking, two processes on one folder corrupt it.
  const release = await lockFolder(dataDir)
  try {
    return pgliteDatabase(await PGlite.create(dataDir), release)
  } catch (err) {
    await release()
    throw err
  }
}

/**
 * A handle on an already created PGlite instance; the handle owns it (`close()` closes it, then calls `release`,
 * which gives up the folder's lock).
 */
export function pgliteDatabase(pglite: PGlite, release: () => Promise<void> = async () => {}): DbHandle {
  // The schema engine shares the client: PGlite is one connection, and its adapter's dispose leaves it open.
  return handle(
    'pglite',
    new PrismaPGlite(pglite),
    pgliteMigrationAdapterFactory(pglite),
    (channels, handlers) => listenPglite(pglite, channels, handlers),
    async () => {
      try {
        await pglite.close()
      } finally {
        await release()
      }
    },
  )
}

function handle(
  kind: DbHandle['kind'],
  prismaAdapter: SqlDriverAdapterFactory,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  listen: DbHandle['listen'],
  closeDriver: () => Promise<void>,
): DbHandle {
  const prisma = new PrismaClient({ adapter: prismaAdapter })
  const sql = prismaSqlDatabase(prisma)
  let closed: Promise<void> | undefined
  return {
    kind,
    prisma,
    sql,
    adapterFactory,
    listen,
    async ping() {
      await sql.query('SELECT 1')
    },
    close() {
      closed ??= (async () => {
        try {
          await prisma.$disconnect()
        } finally {
          await closeDriver()
        }
      })()
      return closed
    },
  }
}

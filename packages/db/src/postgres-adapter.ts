// adapter-pg for Postgres, plus a shadow database the schema engine can really use.
//
// Trap 1: PrismaPg.connectToShadowDb() creates `prisma_migrate_shadow_db_<uuid>` but then opens a pool with
// `{ ...config, database }`; with a `connectionString` in the config, pg lets the connection string win, so the
// "shadow" pool talks to the MAIN database and `diff` from migrations replays them there. We open the shadow
// database ourselves with its own URL.
//
// Trap 2: the engine reads pg_catalog columns of type "char" (OID 18, e.g. pg_class.relkind) when it describes
// a database, and adapter-pg 7.10 rejects that type ("Column type 'char' could not be deserialized"), so
// `diff` from migrations failed on Postgres. The pool we hand the engine reports those columns as text; pg
// already returns their values as one-character strings.
//
// Trap 3: adapter-pg's executeScript() splits the script on every ";" and runs the pieces one by one on
// whatever pool connection is free: a ";" inside a string or a $$ function body breaks the migration, and a
// failure half-way leaves the statements before it applied. We send the script as one simple query instead:
// Postgres then runs all its statements in one implicit transaction.
import { randomUUID } from 'node:crypto'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import pg from 'pg'
import { toDriverAdapterError } from './driver-error.ts'

type PoolErrorLog = (message: string) => void

/** The adapter-pg factory Prisma Client uses for `databaseUrl`. */
export function postgresAdapterFactory(databaseUrl: string, log: PoolErrorLog): PrismaPg {
  return new PrismaPg(
    // A short connect timeout turns "server down" into a quick 503 rather than a hung request.
    { connectionString: databaseUrl, connectionTimeoutMillis: 5_000 },
    {
      // Without a listener, an idle pooled connection dropped by the server would crash the process.
      onPoolError: (error) => log(`postgres pool error: ${error.message}`),
      onConnectionError: (error) => log(`postgres connection error: ${error.message}`),
    },
  )
}

/**
 * The factory the schema engine migrates through: `connect()` is adapter-pg on `databaseUrl`;
 * `connectToShadowDb()` creates a fresh database on the same server and drops it (WITH (FORCE)) when the
 * engine disposes the adapter. Creating it needs the CREATEDB privilege.
 */
export function postgresMigrationAdapterFactory(
  databaseUrl: string,
  log: PoolErrorLog,
): SqlMigrationAwareDriverAdapterFactory {
  const connect = async (url: string): Promise<SqlDriverAdapter> => {
    // A pool per engine connection: the adapter ends it on dispose.
    const pool = new pg.Pool({
      connectionString: url,
      connectionTimeoutMillis: 5_000,
      Client: CharAsTextClient,
    })
    pool.on('error', (error) => log(`postgres migration pool error: ${error.message}`))
    const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect()
    // See Trap 3: one simple-protocol query runs the whole script, atomically, on one connection.
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script)
      } catch (error) {
        throw toDriverAdapterError(error)
      }
    }
    return adapter
  }
  const reference = postgresAdapterFactory(databaseUrl, log)
  return {
    provider: reference.provider,
    adapterName: reference.adapterName,
    connect: () => connect(databaseUrl),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`
      await adminStatement(databaseUrl, `CREATE DATABASE "${name}"`)
      const shadowUrl = new URL(databaseUrl)
      shadowUrl.pathname = `/${name}`
      const adapter = await connect(shadowUrl.toString()).catch(async (error: unknown) => {
        await adminStatement(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
        throw error
      })
      const dispose = adapter.dispose.bind(adapter)
      adapter.dispose = async () => {
        try {
          await dispose()
        } finally {
          await adminStatement(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
        }
      }
      return adapter
    },
  }
}

const CHAR_OID = 18
const TEXT_OID = 25

/** A pg client that reports `"char"` result columns as `text` (see Trap 2 above). */
class CharAsTextClient extends pg.Client {}
const originalQuery = pg.Client.prototype.query
CharAsTextClient.prototype.query = function (this: pg.Client, ...args: unknown[]): unknown {
  // pg.Pool#query calls the callback form; adapter-pg's transactions call the promise form.
  const last = args.at(-1)
  if (typeof last === 'function') {
    args[args.length - 1] = (error: unknown, result: unknown) =>
      (last as (e: unknown, r: unknown) => void)(error, charAsText(result))
  }
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args)
  return result instanceof Promise ? result.then(charAsText) : result
} as typeof originalQuery

function charAsText(result: unknown): unknown {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields ?? []
  for (const field of fields) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID
  return result
}

/** Runs one statement on its own connection: CREATE/DROP DATABASE cannot run inside a pool's transaction. */
export async function adminStatement(databaseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

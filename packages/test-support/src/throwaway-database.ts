import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface ThrowawayDatabase {
  /** Connection string of the new, empty database; the server migrates it at start. */
  url: string
  /** Drops the database even if connections are still open. Safe to call twice. */
  drop(): Promise<void>
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * Creates a database with a random name on the Postgres behind `adminUrl`, so a run never sees another run's rows.
 * Throws when Postgres is unreachable or the role may not create databases.
 */
export async function createThrowawayDatabase(adminUrl: string): Promise<ThrowawayDatabase> {
  const name = `e2e_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  // The name is generated here (letters, digits, underscores), never user input, so quoting it is enough.
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  let dropped = false
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return
      dropped = true
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    },
  }
}

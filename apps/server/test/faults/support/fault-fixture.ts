import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '@offline-sync/test-support/throwaway-database'
import { createNodeDevice, setUpFirstAccount, type Session } from '@offline-sync/test-support/node-device'
import { startServerProcess, type ServerProcess } from '@offline-sync/test-support/server-process'

export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/**
 * A fault test's world: a throwaway Postgres database, the real server process on it (migrated at start) and the
 * first account made through POST /api/setup. `databaseUrl` is where the server connects (a proxy in front of
 * Postgres for the outage test); `directUrl` is Postgres itself, for the test's own reads.
 */
export async function createFaultWorld(
  name: string,
  options: { serverDatabaseUrl?: (directUrl: string) => string | Promise<string> } = {},
) {
  const logDir = mkdtempSync(join(tmpdir(), `fault-${name}-`))
  const database: ThrowawayDatabase = await createThrowawayDatabase(adminUrl)
  const servers: ServerProcess[] = []
  try {
    const databaseUrl = options.serverDatabaseUrl
      ? await options.serverDatabaseUrl(database.url)
      : database.url
    const logFile = join(logDir, 'server.log')
    const start = async (port?: number) => {
      const server = await startServerProcess({
        databaseUrl,
        logFile,
        ...(port === undefined ? {} : { port }),
      })
      servers.push(server)
      return server
    }
    const server = await start()
    const credentials = {
      email: `owner-${name}@example.test`,
      password: `fault ${randomBytes(12).toString('hex')}`,
    }
    const session: Session = await setUpFirstAccount(server.baseURL, credentials)
    return {
      directUrl: database.url,
      logFile,
      server,
      session,
      /** The first account's email and password. */
      credentials,
      /** Starts the server again (after a kill) on `port`, so devices find it where they left it. */
      restart: (port: number) => start(port),
      device: (label: string, baseURL = server.baseURL) =>
        createNodeDevice({ label, session, baseURL, timeoutMs: 30_000 }),
      async close() {
        await Promise.all(servers.map((s) => s.stop()))
        await database.drop()
      },
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()))
    await database.drop()
    throw err
  }
}

export type FaultWorld = Awaited<ReturnType<typeof createFaultWorld>>

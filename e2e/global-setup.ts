import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, resultsDir } from './support/paths.ts'
import { createThrowawayDatabase } from './support/throwaway-database.ts'
import { startServer } from './support/server-process.ts'

/**
 * One throwaway Postgres database and one real server for the whole run. Tests stay independent by using unique
 * names and a fresh browser context each. Returns the teardown: stop the server, drop the database.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html'))) {
    throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` before the end-to-end tests.')
  }
  mkdirSync(resultsDir, { recursive: true })
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = await createThrowawayDatabase(adminUrl)
  let server
  try {
    server = await startServer({ databaseUrl: database.url, logFile: join(resultsDir, 'e2e-server.log') })
  } catch (err) {
    await database.drop()
    throw err
  }
  // Workers start after global setup and inherit the environment: this is how they find the server.
  process.env.E2E_BASE_URL = server.baseURL
  process.env.E2E_DATABASE_URL = database.url
  const running = server
  return async () => {
    await running.stop()
    await database.drop()
  }
}

import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, resultsDir } from './support/paths.ts'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { startServer, type ServerProcess } from './support/server-process.ts'
import { createFirstAccount, e2eServerEnv } from './support/accounts.ts'

/**
 * One throwaway Postgres database and one real server for the whole run, with its first account created through
 * the setup endpoint. Tests stay independent by using unique names and a fresh browser context each. Returns the
 * teardown: stop the server, drop the database.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html'))) {
    throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` before the end-to-end tests.')
  }
  mkdirSync(resultsDir, { recursive: true })
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = await createThrowawayDatabase(adminUrl)
  const account = { email: 'e2e-owner@example.com', password: `e2e ${randomBytes(12).toString('hex')}` }
  let server: ServerProcess | undefined
  try {
    server = await startServer({
      databaseUrl: database.url,
      logFile: join(resultsDir, 'e2e-server.log'),
      env: e2eServerEnv,
    })
    await createFirstAccount(server.baseURL, account)
  } catch (err) {
    await server?.stop()
    await database.drop()
    throw err
  }
  // Workers start after global setup and inherit the environment: this is how they find the server.
  process.env.E2E_BASE_URL = server.baseURL
  process.env.E2E_DATABASE_URL = database.url
  process.env.E2E_EMAIL = account.email
  process.env.E2E_PASSWORD = account.password
  const running = server
  return async () => {
    await running.stop()
    await database.drop()
  }
}

import { join } from 'node:path'
import { freePort, startServerProcess, type ServerProcess } from '@offline-sync/test-support/server-process'
import { repoRoot } from './paths.ts'

export { freePort }
export type { ServerProcess }

/**
 * Starts the REAL server (`apps/server/src/main.ts` under tsx) on a free port against `databaseUrl`, serving the built
 * web app. The one process launcher is the fault tests' (it can also kill with any signal); this only adds what a
 * browser needs. Resolves when GET /api/health answers 200; throws with the tail of the server log otherwise.
 */
export function startServer(options: {
  databaseUrl: string
  logFile: string
  timeoutMs?: number
  /** Extra environment for the server (e.g. rate limits). */
  env?: Record<string, string>
}): Promise<ServerProcess> {
  return startServerProcess({
    ...options,
    env: {
      WEB_DIST_DIR: join(repoRoot, 'apps/web/dist'),
      LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? 'info',
      ...options.env,
    },
  })
}

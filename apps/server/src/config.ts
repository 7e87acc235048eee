import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LogLevel } from './logger.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export interface ServerConfig {
  port: number
  host: string
  /** Real Postgres when set; otherwise the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined
  dataDir: string
  webDistDir: string
  logLevel: LogLevel
}

/** Reads the environment once, failing fast on values that cannot work. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`)
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new Error(`LOG_LEVEL must be debug|info|warn|error`)
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? join(repoRoot, 'data/pglite')),
    webDistDir: resolve(env.WEB_DIST_DIR ?? join(repoRoot, 'apps/web/dist')),
    logLevel,
  }
}

import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LogLevel } from './logger.ts'
import { DEFAULT_RATE_LIMITS, type RateLimits } from './accounts/rate-limits.ts'
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.ts'
import { readLiveConfig, type LiveConfig } from './live/live-config.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export interface ServerConfig {
  port: number
  host: string
  /** Real Postgres when set; otherwise the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined
  dataDir: string
  webDistDir: string
  logLevel: LogLevel
  rateLimits: RateLimits
  /** The proxies whose X-Forwarded-* headers count (TRUST_PROXY; trust-proxy.ts). */
  trustProxy: TrustProxy
  /** Live-updates stream tunables (SYNC_EVENTS_*, RATE_LIMIT_SYNC_EVENTS; live/live-config.ts). */
  live: LiveConfig
}

/** A rate-limit env variable: a positive whole number of requests per the limit's fixed window. */
function readLimit(env: NodeJS.ProcessEnv, name: string, fallback: RateLimits[keyof RateLimits]) {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const limit = Number(raw)
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`${name} must be a whole number of requests ≥ 1, got "${raw}"`)
  return { ...fallback, limit }
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
    rateLimits: {
      signIn: readLimit(env, 'RATE_LIMIT_SIGN_IN', DEFAULT_RATE_LIMITS.signIn),
      signInIp: readLimit(env, 'RATE_LIMIT_SIGN_IN_IP', DEFAULT_RATE_LIMITS.signInIp),
      sync: readLimit(env, 'RATE_LIMIT_SYNC', DEFAULT_RATE_LIMITS.sync),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    live: readLiveConfig(env),
  }
}

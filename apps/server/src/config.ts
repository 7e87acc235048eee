import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LogLevel } from './logger.ts'
import { DEFAULT_RATE_LIMITS, type RateLimits } from './accounts/rate-limits.ts'
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.ts'
import { parseAllowedHosts } from './http/allowed-hosts.ts'
import type { HashingLimits } from './accounts/hash-gate.ts'
import { DEFAULT_HASHING } from './accounts/hashing-defaults.ts'
import { readLiveConfig, type LiveConfig } from './live/live-config.ts'
import { DEFAULT_PAGE_BOUNDS, type PageBounds } from '@offline-sync/sync-server'

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
  /** Host names served besides the defaults (PUBLIC_URL, ALLOWED_HOSTS; allowed-hosts.ts). */
  allowedHosts: string[]
  /** Concurrent password hashes and the sign-ins that may wait (SIGN_IN_HASHES, SIGN_IN_QUEUE; hash-gate.ts). */
  hashing: HashingLimits
  /** Live-updates stream tunables (SYNC_EVENTS_*, RATE_LIMIT_SYNC_EVENTS; live/live-config.ts). */
  live: LiveConfig
  /** Full-sync page bounds, rule G1: SYNC_PAGE_RECORDS, SYNC_FIRST_PAGE_RECORDS, SYNC_PAGE_BYTES. */
  page: PageBounds
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

function readCount(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`)
  return value
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
    // Relative to the repository root, not the working folder: `npm run dev -w apps/server` runs in apps/server,
    // `npm run db:migrate` in packages/db, and both must open the same folder.
    dataDir: resolve(repoRoot, env.DATA_DIR ?? 'data/pglite'),
    webDistDir: resolve(env.WEB_DIST_DIR ?? join(repoRoot, 'apps/web/dist')),
    logLevel,
    rateLimits: {
      signIn: readLimit(env, 'RATE_LIMIT_SIGN_IN', DEFAULT_RATE_LIMITS.signIn),
      signInIp: readLimit(env, 'RATE_LIMIT_SIGN_IN_IP', DEFAULT_RATE_LIMITS.signInIp),
      sync: readLimit(env, 'RATE_LIMIT_SYNC', DEFAULT_RATE_LIMITS.sync),
      syncAccount: readLimit(env, 'RATE_LIMIT_SYNC_ACCOUNT', DEFAULT_RATE_LIMITS.syncAccount),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    allowedHosts: parseAllowedHosts(env),
    hashing: {
      concurrent: readCount(env, 'SIGN_IN_HASHES', DEFAULT_HASHING.concurrent, 1),
      queue: readCount(env, 'SIGN_IN_QUEUE', DEFAULT_HASHING.queue, 0),
    },
    live: readLiveConfig(env),
    page: {
      records: readCount(env, 'SYNC_PAGE_RECORDS', DEFAULT_PAGE_BOUNDS.records, 1),
      firstRecords: readCount(env, 'SYNC_FIRST_PAGE_RECORDS', DEFAULT_PAGE_BOUNDS.firstRecords, 1),
      // A page of one record is always allowed, however wide; below a kibibyte every page would be one record.
      bytes: readCount(env, 'SYNC_PAGE_BYTES', DEFAULT_PAGE_BOUNDS.bytes, 1024),
    },
  }
}

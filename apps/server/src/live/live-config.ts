import type { RateLimit } from '../accounts/index.ts'

/** Tunables of the live-updates stream (GET /api/sync/events); config.ts reads them from the environment. */
export interface LiveConfig {
  /** At most one `changed` event per stream per this window (SYNC_EVENTS_COALESCE_MS, default 500). */
  coalesceMs: number
  /** A `: ping` comment this often, so proxies keep an idle stream open (SYNC_EVENTS_HEARTBEAT_MS, default 25 000). */
  heartbeatMs: number
  /** How often open streams' sessions are checked for expiry (SYNC_EVENTS_SESSION_CHECK_MS, default 60 000). */
  sessionCheckMs: number
  /** The `retry:` the stream announces: how long a browser's EventSource waits before reconnecting by itself. */
  retryMs: number
  /** Streams a session may open per window: a client stuck in a reconnect loop must not hammer the database. */
  openLimit: RateLimit
}

export const DEFAULT_LIVE_CONFIG: LiveConfig = {
  coalesceMs: 500,
  heartbeatMs: 25_000,
  sessionCheckMs: 60_000,
  retryMs: 1_000,
  openLimit: { limit: 30, windowSeconds: 60 },
}

function readMs(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const ms = Number(raw)
  if (!Number.isInteger(ms) || ms < min)
    throw new Error(`${name} must be a whole number of milliseconds ≥ ${min}, got "${raw}"`)
  return ms
}

/** Reads SYNC_EVENTS_* from the environment, failing fast on values that cannot work. */
export function readLiveConfig(env: NodeJS.ProcessEnv): LiveConfig {
  const rawLimit = env.RATE_LIMIT_SYNC_EVENTS?.trim()
  const limit = rawLimit ? Number(rawLimit) : DEFAULT_LIVE_CONFIG.openLimit.limit
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`RATE_LIMIT_SYNC_EVENTS must be a whole number of requests ≥ 1, got "${rawLimit}"`)
  return {
    coalesceMs: readMs(env, 'SYNC_EVENTS_COALESCE_MS', DEFAULT_LIVE_CONFIG.coalesceMs, 0),
    heartbeatMs: readMs(env, 'SYNC_EVENTS_HEARTBEAT_MS', DEFAULT_LIVE_CONFIG.heartbeatMs, 10),
    sessionCheckMs: readMs(env, 'SYNC_EVENTS_SESSION_CHECK_MS', DEFAULT_LIVE_CONFIG.sessionCheckMs, 10),
    retryMs: DEFAULT_LIVE_CONFIG.retryMs,
    openLimit: { ...DEFAULT_LIVE_CONFIG.openLimit, limit },
  }
}

import express, { type Express } from 'express'
import compression from 'compression'
import helmet from 'helmet'
import { companiesContacts, type OneToManySpec } from '@offline-sync/sync-protocol'
import type { PageBounds, SqlDatabase } from '@offline-sync/sync-server'
import { syncRoute } from './routes/sync-route.ts'
import { syncEventsRoute } from './routes/sync-events-route.ts'
import type { LiveUpdates } from './live/live-updates.ts'
import { DEFAULT_LIVE_CONFIG, type LiveConfig } from './live/live-config.ts'
import { previewRoute } from './routes/preview-route.ts'
import {
  authRoutes,
  createRateLimiter,
  createSessionStore,
  DEFAULT_RATE_LIMITS,
  lookUpSession,
  rateLimit,
  rateLimited,
  requireCsrf,
  requireSameAccount,
  requireSession,
  sameOriginOnly,
  sessionOf,
  unauthenticated,
  type RateLimits,
} from './accounts/index.ts'
import { healthRoute, type HealthProbe } from './routes/health-route.ts'
import { staticApp } from './routes/static-app.ts'
import { apiNotFound, errorHandler } from './http/error-handler.ts'
import type { HashingLimits } from './accounts/hash-gate.ts'
import { DEFAULT_HASHING } from './accounts/hashing-defaults.ts'
import { requestLog } from './http/request-log.ts'
import { allowedHostsOnly } from './http/allowed-hosts.ts'
import { DEFAULT_TRUST_PROXY, type TrustProxy } from './http/trust-proxy.ts'
import { silentLogger, type Logger } from './logger.ts'

export interface AppOptions {
  db: { sql: SqlDatabase } & HealthProbe
  spec?: OneToManySpec
  /** Built web app to serve on the same origin; omitted in API-only tests. */
  webDistDir?: string
  logger?: Logger
  version?: string
  /** Overrides of the default rate limits (config.ts reads them from the environment). */
  rateLimits?: Partial<RateLimits>
  /** scrypt cost for new password hashes; only tests lower it. */
  scryptN?: number
  /** Proxies whose X-Forwarded-* headers count; default: loopback only (config.ts reads TRUST_PROXY). */
  trustProxy?: TrustProxy
  /** Host names served besides localhost, loopback and the machine's own (config.ts: PUBLIC_URL, ALLOWED_HOSTS). */
  allowedHosts?: readonly string[]
  /** Concurrent password hashes and the sign-ins that may wait for one (default: config.ts's defaults). */
  hashing?: HashingLimits
  /** Live updates (GET /api/sync/events); the caller owns it and closes it at shutdown. Omitted: no stream route. */
  live?: LiveUpdates
  /** Its tunables (config.ts reads them from SYNC_EVENTS_*). */
  liveConfig?: LiveConfig
  /** Full-sync page bounds, rule G1 (config.ts reads SYNC_PAGE_RECORDS, SYNC_FIRST_PAGE_RECORDS, SYNC_PAGE_BYTES). */
  page?: Partial<PageBounds>
}

/** Wires HTTP to the engines. Holds no sync logic of its own. */
export function createApp(options: AppOptions): Express {
  const logger = options.logger ?? silentLogger
  const app = express()
  app.disable('x-powered-by')
  // The origin check compares Origin with the protocol and host a trusted proxy reports, and rate limits key on the
  // client address it reports: from anyone else these headers are ignored.
  app.set('trust proxy', options.trustProxy ?? DEFAULT_TRUST_PROXY)
  app.use(requestLog(logger))
  // First of all: a request for a name we do not serve is a DNS-rebinding page (or a misdirected one).
  app.use(allowedHostsOnly(options.allowedHosts ?? []))
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          // Off: it would break plain-http access on a LAN address (testing from a real phone); TLS is the proxy's job.
          upgradeInsecureRequests: null,
        },
      },
    }),
  )
  // Sync responses carry every record: compression makes them several times smaller on a weak signal.
  app.use(compression({ threshold: 1024 }))
  const sessions = createSessionStore(options.db.sql)
  const limiter = createRateLimiter(options.db.sql)
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }
  // Before any route: another site must not make a browser send an unsafe request here, signed in or not.
  app.use('/api', sameOriginOnly)
  app.use(healthRoute(options.db, options.version ?? 'dev', logger))
  app.use(
    authRoutes({
      db: options.db.sql,
      sessions,
      limiter,
      rateLimits,
      scryptN: options.scryptN,
      hashing: options.hashing ?? DEFAULT_HASHING,
    }),
  )
  // Before the /api/sync guards: a stream is a GET with its own open limit, not counted as a sync.
  if (options.live)
    app.use(
      syncEventsRoute({
        live: options.live,
        sessions,
        limiter,
        config: options.liveConfig ?? DEFAULT_LIVE_CONFIG,
      }),
    )
  // Every /api/sync route (the sync and its preview) needs a session and its CSRF token, and is rate limited per
  // session; a costly sync is also limited per account (more sessions must not multiply its allowance, rule A10).
  app.use(
    '/api/sync',
    requireSession(sessions),
    requireCsrf,
    requireSameAccount,
    rateLimit(limiter, rateLimits.sync, (_req, res) => `sync:${sessionOf(res).tokenHash}`),
  )
  app.use(
    syncRoute(options.spec ?? companiesContacts, options.db.sql, {
      log: logger,
      ownerOf: (res) => `account:${sessionOf(res).user.id}`,
      ...(options.page ? { page: options.page } : {}),
      limitAccount: async (res) => {
        const result = await limiter.check(`sync-account:${sessionOf(res).user.id}`, rateLimits.syncAccount)
        if (!result.ok) throw rateLimited(result.retryAfterSeconds)
      },
    }),
  )
  app.use(previewRoute(options.spec ?? companiesContacts, options.db.sql))
  // Unknown API paths: say nothing about what exists to someone not signed in.
  app.use('/api', async (req, res, next) => {
    if (!(await lookUpSession(sessions, req, res))) throw unauthenticated()
    apiNotFound(req, res, next)
  })
  if (options.webDistDir) app.use(staticApp(options.webDistDir))
  app.use(errorHandler(logger))
  return app
}

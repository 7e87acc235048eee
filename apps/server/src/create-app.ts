import express, { type Express } from 'express'
import compression from 'compression'
import helmet from 'helmet'
import { companiesContacts, type OneToManySpec } from '@offline-sync/protocol'
import type { SqlDatabase } from '@offline-sync/server-engine'
import { syncRoute } from './routes/sync-route.ts'
import { previewRoute } from './routes/preview-route.ts'
import {
  authRoutes,
  createRateLimiter,
  createSessionStore,
  DEFAULT_RATE_LIMITS,
  lookUpSession,
  rateLimit,
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
import { requestLog } from './http/request-log.ts'
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
  app.use(healthRoute(options.db, options.version ?? 'dev'))
  app.use(authRoutes({ db: options.db.sql, sessions, limiter, rateLimits, scryptN: options.scryptN }))
  // Every /api/sync route (the sync and its preview) needs a session and its CSRF token, and is rate limited.
  app.use(
    '/api/sync',
    requireSession(sessions),
    requireCsrf,
    requireSameAccount,
    rateLimit(limiter, rateLimits.sync, (_req, res) => `sync:${sessionOf(res).tokenHash}`),
  )
  app.use(syncRoute(options.spec ?? companiesContacts, options.db.sql, logger))
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

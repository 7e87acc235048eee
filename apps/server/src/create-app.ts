import express, { type Express } from 'express'
import compression from 'compression'
import helmet from 'helmet'
import { companiesContacts, type OneToManySpec } from '@offline-sync/protocol'
import type { SqlDatabase } from '@offline-sync/server-engine'
import { syncRoute } from './routes/sync-route.ts'
import { healthRoute, type HealthProbe } from './routes/health-route.ts'
import { staticApp } from './routes/static-app.ts'
import { apiNotFound, errorHandler } from './http/error-handler.ts'
import { requestLog } from './http/request-log.ts'
import { silentLogger, type Logger } from './logger.ts'

export interface AppOptions {
  db: { sql: SqlDatabase } & HealthProbe
  spec?: OneToManySpec
  /** Built web app to serve on the same origin; omitted in API-only tests. */
  webDistDir?: string
  logger?: Logger
  version?: string
}

/** Wires HTTP to the engines. Holds no sync logic of its own. */
export function createApp(options: AppOptions): Express {
  const logger = options.logger ?? silentLogger
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
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
  app.use(healthRoute(options.db, options.version ?? 'dev'))
  app.use(syncRoute(options.spec ?? companiesContacts, options.db.sql))
  app.use('/api', apiNotFound)
  if (options.webDistDir) app.use(staticApp(options.webDistDir))
  app.use(errorHandler(logger))
  return app
}

import { Router } from 'express'
import type { Logger } from '../logger.ts'

export interface HealthProbe {
  kind: string
  /** Resolves when the database answers a trivial query; throws otherwise. */
  ping(): Promise<void>
}

/**
 * GET /api/health: 200 when the app and its database answer, 503 when the database does not. Anyone may call it
 * (a load balancer has no session), so why the database is down (the driver's message names its host and port)
 * goes to the log, never into the answer.
 */
export function healthRoute(db: HealthProbe, version: string, logger: Logger): Router {
  const router = Router()
  router.get('/api/health', async (_req, res) => {
    const started = performance.now()
    let database: { kind: string; status: 'ok' | 'down'; latencyMs: number }
    try {
      await db.ping()
      database = { kind: db.kind, status: 'ok', latencyMs: Math.round(performance.now() - started) }
    } catch (err) {
      database = { kind: db.kind, status: 'down', latencyMs: Math.round(performance.now() - started) }
      logger.warn('health: database down', { error: String(err) })
    }
    const ok = database.status === 'ok'
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ok ? 'ok' : 'degraded',
        version,
        uptimeSeconds: Math.round(process.uptime()),
        database,
      })
  })
  return router
}

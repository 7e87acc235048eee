import { Router } from 'express'
import { HttpError } from '../http/http-error.ts'
import {
  rateLimit,
  requireSession,
  sessionOf,
  type RateLimiter,
  type SessionStore,
} from '../accounts/index.ts'
import { isUuid } from '../live/change-notices.ts'
import type { LiveConfig } from '../live/live-config.ts'
import type { LiveUpdates } from '../live/live-updates.ts'

export interface SyncEventsDeps {
  live: LiveUpdates
  sessions: SessionStore
  limiter: RateLimiter
  config: LiveConfig
}

/**
 * GET /api/sync/events?deviceId=<uuid>: the live-updates stream (docs/sync-protocol.md, "Live updates").
 * Session first (401 tells nothing to a stranger), then the device id (400), then the per-session open limit (429).
 */
export function syncEventsRoute({ live, sessions, limiter, config }: SyncEventsDeps): Router {
  const router = Router()
  router.get(
    '/api/sync/events',
    requireSession(sessions),
    (req, _res, next) => {
      if (!isUuid(req.query.deviceId))
        throw new HttpError(
          400,
          'invalid',
          'deviceId must be given once, as a UUID: /api/sync/events?deviceId=<uuid>',
        )
      next()
    },
    rateLimit(limiter, config.openLimit, (_req, res) => `sync-events:${sessionOf(res).tokenHash}`),
    async (req, res) => {
      await live.open(res, req.query.deviceId as string, sessionOf(res).tokenHash)
    },
  )
  return router
}

import { Router, json, type RequestHandler } from 'express'
import type { OneToManySpec } from '@offline-sync/sync-protocol'
import { createPreviewChanges, parsePreviewRequest, type SqlDatabase } from '@offline-sync/sync-server'
import { HttpError } from '../http/http-error.ts'

/** Ids only: even the largest backlog's ids fit well under this. */
const BODY_LIMIT = '1mb'

/**
 * POST /api/sync/preview: which of the records a device is about to send were changed or deleted on the server
 * since its cursor. Read-only. Mounted under /api/sync, so it sits behind the same session, CSRF, account and
 * rate-limit checks as the sync itself.
 */
export function previewRoute(spec: OneToManySpec, db: SqlDatabase): Router {
  const engine = createPreviewChanges(spec, db)
  const router = Router()
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is('application/json'))
      next(new HttpError(415, 'unsupported_media_type', 'Send the preview as Content-Type: application/json'))
    else next()
  }
  router.post(
    '/api/sync/preview',
    requireJson,
    json({ limit: BODY_LIMIT, strict: true }),
    async (req, res) => {
      const parsed = parsePreviewRequest(req.body)
      if (!parsed.ok) throw new HttpError(400, parsed.error.code, parsed.error.message, parsed.error.details)
      res.set('Cache-Control', 'no-store').json(await engine.preview(parsed.value))
    },
  )
  return router
}

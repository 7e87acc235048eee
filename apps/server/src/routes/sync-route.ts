import { Router, json, type RequestHandler, type Response } from 'express'
import { LIMITS, type OneToManySpec } from '@offline-sync/sync-protocol'
import {
  BaseAheadError,
  createServerDataSync,
  InvalidPageError,
  parseSyncRequest,
  SyncIdReusedError,
  type PageBounds,
  type SqlDatabase,
  type SyncLog,
} from '@offline-sync/sync-server'
import { HttpError } from '../http/http-error.ts'
import { CHANGE_CHANNEL } from '../live/change-notices.ts'

/** Counts the records a body carries before the (costlier) schema check, so a huge backlog is refused early. */
function countRecords(body: unknown, spec: OneToManySpec): number {
  if (typeof body !== 'object' || body === null) return 0
  let count = 0
  for (const plural of [spec.parent.plural, spec.child.plural]) {
    const set = (body as Record<string, unknown>)[plural]
    if (typeof set !== 'object' || set === null) continue
    for (const list of ['added', 'modified', 'deleted']) {
      const records = (set as Record<string, unknown>)[list]
      if (Array.isArray(records)) count += records.length
    }
  }
  return count
}

/**
 * POST /api/sync = ServerDataSync: parse → engine → JSON. HTTP concerns only; the logic is in the engine, which
 * writes its own line per sync (applied / replayed / read) to `log`.
 */
export function syncRoute(
  spec: OneToManySpec,
  db: SqlDatabase,
  options: {
    log?: SyncLog
    /** The account a request is made for (after the session guard); undefined leaves receipts unowned. */
    ownerOf?: (res: Response) => string | undefined
    /**
     * Counts a costly sync (one that sends changes or asks for a full read) against its account's allowance and
     * throws when it is spent (rule A10). A delta pull that sends nothing takes no lock and reads only what
     * changed: a team's phones pulling after every live notice must not spend the allowance their uploads need.
     */
    limitAccount?: (res: Response) => Promise<void>
    /** Rule G1's page bounds (config.ts: SYNC_PAGE_RECORDS, SYNC_FIRST_PAGE_RECORDS, SYNC_PAGE_BYTES). */
    page?: Partial<PageBounds>
  } = {},
): Router {
  const { log, ownerOf = () => undefined, limitAccount } = options
  const engine = createServerDataSync(spec, db, {
    // Every committed write is announced to the live-updates streams of every instance (rule L6).
    changeChannel: CHANGE_CHANNEL,
    ...(log ? { log } : {}),
    ...(options.page ? { page: options.page } : {}),
  })
  const router = Router()
  // The content type is checked before parsing, so a form post gets 415 rather than a confusing JSON error.
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is('application/json')) {
      next(
        new HttpError(
          415,
          'unsupported_media_type',
          'Send the sync request as Content-Type: application/json',
        ),
      )
    } else next()
  }
  router.post(
    '/api/sync',
    requireJson,
    json({ limit: LIMITS.maxBodyBytes, strict: true }),
    async (req, res) => {
      const records = countRecords(req.body, spec)
      if (records > LIMITS.maxRecordsPerRequest) {
        throw new HttpError(
          413,
          'too_many_records',
          `The request carries ${records} records; at most ${LIMITS.maxRecordsPerRequest} are accepted per sync. Send the rest in another sync.`,
          { maxRecordsPerRequest: LIMITS.maxRecordsPerRequest },
        )
      }
      const parsed = parseSyncRequest(spec, req.body)
      if (!parsed.ok) throw new HttpError(400, parsed.error.code, parsed.error.message, parsed.error.details)
      // A next page (rule G4) is bounded work like a delta: only a download's first page counts as costly.
      const startsFullRead = parsed.value.cursor == null && parsed.value.page == null
      if (limitAccount && (records > 0 || startsFullRead)) await limitAccount(res)
      try {
        // The receipt belongs to the account: another account resending this deviceId + syncId gets 409 (A9).
        const owner = ownerOf(res)
        const response = await engine.sync(parsed.value, owner === undefined ? {} : { owner })
        res.set('Cache-Control', 'no-store').json(response)
      } catch (err) {
        if (err instanceof SyncIdReusedError) throw new HttpError(409, 'sync_id_reused', err.message)
        if (err instanceof InvalidPageError)
          throw new HttpError(400, 'invalid_request', err.message, [{ path: err.path, message: err.message }])
        if (err instanceof BaseAheadError)
          throw new HttpError(400, 'invalid_request', err.message, [{ path: err.path, message: err.message }])
        throw err
      }
    },
  )
  return router
}

import type { Response } from 'express'
import type { DbHandle, NoticeListener } from '@offline-sync/db'
import { readChangeCursor } from '@offline-sync/sync-server'
import type { Logger } from '../logger.ts'
import { EventStream } from './event-stream.ts'
import {
  CHANGE_CHANNEL,
  parseChangeNotice,
  parseSessionEnded,
  SESSION_ENDED_CHANNEL,
} from './change-notices.ts'
import type { LiveConfig } from './live-config.ts'

export interface LiveUpdatesDeps {
  db: Pick<DbHandle, 'sql' | 'listen'>
  config: LiveConfig
  logger: Logger
}

/**
 * The open event streams of this server instance, fed by Postgres LISTEN: every instance hears every committed
 * write (channel sync_changes) and every deleted session (session_ended), so a write through one instance reaches
 * streams on all of them. Engines know nothing of this; it is HTTP wiring.
 */
export interface LiveUpdates {
  /**
   * Opens a stream on `res` for `deviceId` of the session `tokenHash`: starts listening first (once per instance),
   * then reads the cursor, so no write committed after `ready` can be missed. Throws when the database cannot be
   * reached (nothing has been written to `res` then).
   */
  open(res: Response, deviceId: string, tokenHash: string): Promise<void>
  /** Number of open streams (for the benchmark and the log). */
  size(): number
  /** Closes every stream and the listener; later opens throw. For graceful shutdown. */
  close(): Promise<void>
}

export function createLiveUpdates({ db, config, logger }: LiveUpdatesDeps): LiveUpdates {
  const streams = new Set<EventStream>()
  let listener: Promise<NoticeListener> | undefined
  let closed = false
  let heartbeat: NodeJS.Timeout | undefined
  let sessionCheck: NodeJS.Timeout | undefined

  const fanOut = (cursor: string, fromDevice: string | undefined) => {
    // A device is not told about its own write: it has the new cursor from its sync response.
    for (const stream of streams) if (stream.deviceId !== fromDevice) stream.notice(cursor)
  }

  const endSession = (tokenHash: string, reason: 'signed_out' | 'session_expired') => {
    for (const stream of [...streams]) if (stream.tokenHash === tokenHash) stream.end(reason)
  }

  const startListening = () =>
    db.listen([CHANGE_CHANNEL, SESSION_ENDED_CHANNEL], {
      notice(channel, payload) {
        if (channel === CHANGE_CHANNEL) {
          const change = parseChangeNotice(payload)
          if (change) fanOut(change.cursor, change.deviceId)
        } else {
          const ended = parseSessionEnded(payload)
          if (ended) endSession(ended.tokenHash, ended.reason)
        }
      },
      resumed() {
        // Notices sent while the connection was down are lost: tell everyone, and let the session check catch up.
        logger.info('live updates listening again')
        readChangeCursor(db.sql).then(
          (cursor) => fanOut(cursor, undefined),
          (error: unknown) =>
            logger.warn('live updates: cursor after reconnect failed', { error: String(error) }),
        )
        void checkSessions()
      },
      warn: (message) => logger.warn(`live updates: ${message}`),
    })

  /** Ends streams whose session expired or vanished without a notice (expiry is a time, not an event). */
  const checkSessions = async () => {
    const hashes = [...new Set([...streams].map((s) => s.tokenHash))]
    if (hashes.length === 0) return
    try {
      const live = await db.sql.query<{ tokenHash: string }>(
        `SELECT "tokenHash" FROM "Session" WHERE "tokenHash" IN (SELECT json_array_elements_text($1::json))
           AND "expiresAt" > now()`,
        [JSON.stringify(hashes)],
      )
      const alive = new Set(live.map((row) => row.tokenHash))
      for (const hash of hashes) if (!alive.has(hash)) endSession(hash, 'session_expired')
    } catch (error) {
      logger.warn('live updates: session check failed', { error: String(error) })
    }
  }

  const startTimers = () => {
    heartbeat ??= setInterval(() => {
      for (const stream of streams) stream.heartbeat()
    }, config.heartbeatMs).unref()
    sessionCheck ??= setInterval(() => void checkSessions(), config.sessionCheckMs).unref()
  }

  return {
    async open(res, deviceId, tokenHash) {
      if (closed) throw new Error('live updates are closed')
      if (!listener) {
        const attempt = startListening()
        listener = attempt
        // A failed start is not cached: the next stream tries again.
        attempt.catch(() => {
          if (listener === attempt) listener = undefined
        })
      }
      await listener
      startTimers()
      const stream = new EventStream(res, {
        deviceId: deviceId.toLowerCase(),
        tokenHash,
        coalesceMs: config.coalesceMs,
        retryMs: config.retryMs,
        onFinish: (finished) => streams.delete(finished),
      })
      // Registered before the cursor is read: a notice arriving in between is held and sent after `ready`.
      streams.add(stream)
      try {
        stream.open(await readChangeCursor(db.sql))
      } catch (error) {
        streams.delete(stream)
        throw error
      }
    },
    size: () => streams.size,
    async close() {
      closed = true
      clearInterval(heartbeat)
      clearInterval(sessionCheck)
      for (const stream of [...streams]) stream.close()
      const current = listener
      listener = undefined
      await current?.then((l) => l.close()).catch(() => {})
    },
  }
}

import { createHash } from 'node:crypto'
import type { SqlDatabase } from '@offline-sync/sync-server'

/** Longer keys are stored as their hash: a key is built from request data, and an index entry has a size limit. */
export const MAX_KEY_LENGTH = 200

/** The key as stored: itself up to MAX_KEY_LENGTH characters, otherwise `sha256:` and its hex digest. */
export const storedKey = (key: string): string =>
  key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number
  windowSeconds: number
}

export type RateCheck = { ok: true } | { ok: false; retryAfterSeconds: number }

/**
 * Fixed-window counters in Postgres (table RateLimitBucket), so every server instance shares them. One upsert per
 * check: it starts a new window when the old one is over, otherwise counts the request in the current one.
 */
export function createRateLimiter(db: SqlDatabase) {
  return {
    async check(key: string, { limit, windowSeconds }: RateLimit): Promise<RateCheck> {
      const [row] = await db.query<{ count: number; retryAfter: number }>(
        `INSERT INTO "RateLimitBucket" (key, "windowStart", count) VALUES ($1, now(), 1)
         ON CONFLICT (key) DO UPDATE SET
           "windowStart" = CASE WHEN "RateLimitBucket"."windowStart" <= now() - make_interval(secs => $2::int)
                           THEN now() ELSE "RateLimitBucket"."windowStart" END,
           count = CASE WHEN "RateLimitBucket"."windowStart" <= now() - make_interval(secs => $2::int)
                   THEN 1 ELSE "RateLimitBucket".count + 1 END
         RETURNING count,
           extract(epoch FROM ("windowStart" + make_interval(secs => $2::int) - now()))::float8 AS "retryAfter"`,
        [storedKey(key), windowSeconds],
      )
      if (!row || Number(row.count) <= limit) return { ok: true }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(row.retryAfter))) }
    },

    /** Run daily: buckets whose window ended a day ago count nothing any more. */
    async deleteStale(): Promise<number> {
      const rows = await db.query(
        `DELETE FROM "RateLimitBucket" WHERE "windowStart" < now() - interval '1 day' RETURNING 1`,
      )
      return rows.length
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

import { createHash, randomBytes } from 'node:crypto'
import type { SqlDatabase } from '@offline-sync/sync-server'
import type { User } from './account-store.ts'

export const SESSION_DAYS = 30
/** A session is extended back to SESSION_DAYS once fewer than this many days remain. */
const EXTEND_BELOW_DAYS = 15
/** lastSeenAt is only rewritten when older than this, so a busy session does not write on every request. */
const TOUCH_AFTER_SECONDS = 60

export interface Session {
  tokenHash: string
  user: User
  csrfToken: string
  /** True when this lookup pushed the expiry out: the cookie should be sent again with the new lifetime. */
  extended: boolean
}

const randomToken = () => randomBytes(32).toString('base64url')
/** Only the hash is stored: a database leak yields no usable cookie. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Sessions in Postgres, so any server instance can serve any request. */
export function createSessionStore(db: SqlDatabase) {
  return {
    async create(userId: number): Promise<{ token: string; csrfToken: string }> {
      const token = randomToken()
      const csrfToken = randomToken()
      await db.query(
        `INSERT INTO "Session" ("tokenHash", "userId", "csrfToken", "expiresAt")
         VALUES ($1, $2, $3, now() + make_interval(days => $4::int))`,
        [hashToken(token), userId, csrfToken, SESSION_DAYS],
      )
      return { token, csrfToken }
    },

    /** The live session for a cookie token, or null. Slides the expiry forward when it is getting close. */
    async resolve(token: string): Promise<Session | null> {
      const tokenHash = hashToken(token)
      const [row] = await db.query<{
        userId: number
        email: string
        csrfToken: string
        extend: boolean
        touch: boolean
      }>(
        `SELECT s."userId", u.email, s."csrfToken",
                s."expiresAt" < now() + make_interval(days => $2::int) AS extend,
                s."lastSeenAt" < now() - make_interval(secs => $3::int) AS touch
         FROM "Session" s JOIN "User" u ON u.id = s."userId"
         WHERE s."tokenHash" = $1 AND s."expiresAt" > now()`,
        [tokenHash, EXTEND_BELOW_DAYS, TOUCH_AFTER_SECONDS],
      )
      if (!row) return null
      if (row.extend || row.touch) {
        await db.query(
          `UPDATE "Session" SET "lastSeenAt" = now(),
             "expiresAt" = CASE WHEN $2::boolean THEN now() + make_interval(days => $3::int) ELSE "expiresAt" END
           WHERE "tokenHash" = $1`,
          [tokenHash, row.extend, SESSION_DAYS],
        )
      }
      return {
        tokenHash,
        user: { id: Number(row.userId), email: row.email },
        csrfToken: row.csrfToken,
        extended: row.extend,
      }
    },

    async delete(tokenHash: string): Promise<void> {
      await db.query('DELETE FROM "Session" WHERE "tokenHash" = $1', [tokenHash])
    },

    /** Run daily: expired sessions can never be used again. */
    async deleteExpired(): Promise<number> {
      const rows = await db.query('DELETE FROM "Session" WHERE "expiresAt" <= now() RETURNING 1')
      return rows.length
    },
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>

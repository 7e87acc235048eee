import type { SqlDatabase } from '@offline-sync/sync-server'

export interface User {
  id: number
  email: string
}

export interface StoredUser extends User {
  passwordHash: string
}

/** Accounts in the `User` table. Emails arrive normalised (see credentials.ts). */
export function createAccountStore(db: SqlDatabase) {
  return {
    async hasAny(): Promise<boolean> {
      const rows = await db.query('SELECT 1 FROM "User" LIMIT 1')
      return rows.length > 0
    },

    async findByEmail(email: string): Promise<StoredUser | null> {
      const [row] = await db.query<StoredUser>(
        'SELECT id, email, "passwordHash" FROM "User" WHERE email = $1',
        [email],
      )
      return row ?? null
    },

    /** Creates an account; null when the email is taken. */
    async create(email: string, passwordHash: string): Promise<User | null> {
      const [row] = await db.query<User>(
        `INSERT INTO "User" (email, "passwordHash") VALUES ($1, $2)
         ON CONFLICT (email) DO NOTHING RETURNING id, email`,
        [email, passwordHash],
      )
      return row ?? null
    },

    /**
     * Creates the first account; null when one exists already. The table lock makes concurrent setups (on any
     * server instance) queue, so exactly one of them wins.
     */
    async createFirst(email: string, passwordHash: string): Promise<User | null> {
      return db.transaction(async (tx) => {
        await tx.query('LOCK TABLE "User" IN EXCLUSIVE MODE')
        const existing = await tx.query('SELECT 1 FROM "User" LIMIT 1')
        if (existing.length > 0) return null
        const [row] = await tx.query<User>(
          'INSERT INTO "User" (email, "passwordHash") VALUES ($1, $2) RETURNING id, email',
          [email, passwordHash],
        )
        return row ?? null
      })
    },
  }
}

export type AccountStore = ReturnType<typeof createAccountStore>

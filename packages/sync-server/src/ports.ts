/**
 * The server engine's only port: a SQL database. The engine writes portable Postgres SQL with positional
 * parameters ($1, $2, …) and knows nothing of Prisma, HTTP or Express. `@offline-sync/db` implements this
 * port on a Prisma client (adapter-pg for Postgres, pglite-prisma-adapter for the embedded database), declaring
 * the same shape on its side so that it does not depend on this package (issue 12.1).
 */
export interface SqlExecutor {
  /**
   * Runs one statement and returns its rows. Parameters are strings, numbers, booleans or null; pass
   * structured data as a JSON string and cast it in SQL (`$1::jsonb`). Throws on any database error.
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
}

export interface SqlDatabase extends SqlExecutor {
  /**
   * Runs `fn` in ONE transaction (READ COMMITTED): commits when it resolves, rolls back everything when it
   * throws, and rethrows. On a serialization failure or deadlock the whole `fn` is run again, a bounded number
   * of times, so `fn` must have no effects outside the transaction. A transient failure that outlasts the
   * retries throws the adapter's "unavailable" error (`DatabaseUnavailableError` of `@offline-sync/db`, which the
   * app answers with 503); the engine passes every error through unchanged.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>
}

/**
 * Wraps the engine's SqlDatabase port to time every statement it runs, so the report can say where an apply
 * spends its time. Used for one extra, separate run: the wrapper's own cost never enters the measured figures.
 */
import type { SqlDatabase, SqlExecutor } from '@offline-sync/sync-server'

export interface StatementTime {
  statement: string
  calls: number
  ms: number
}

export function timeStatements(db: SqlDatabase): { db: SqlDatabase; report(): StatementTime[] } {
  const totals = new Map<string, StatementTime>()
  const timedExecutor = (inner: SqlExecutor): SqlExecutor => ({
    async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      const start = performance.now()
      try {
        return await inner.query<T>(sql, params)
      } finally {
        const statement = sql.replace(/\s+/g, ' ').slice(0, 72)
        const entry = totals.get(statement) ?? { statement, calls: 0, ms: 0 }
        entry.calls += 1
        entry.ms += performance.now() - start
        totals.set(statement, entry)
      }
    },
  })
  return {
    db: { ...timedExecutor(db), transaction: (fn) => db.transaction((tx) => fn(timedExecutor(tx))) },
    report: () => [...totals.values()].sort((a, b) => b.ms - a.ms),
  }
}

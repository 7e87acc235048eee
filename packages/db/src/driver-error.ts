import { DriverAdapterError } from '@prisma/driver-adapter-utils'

/**
 * Wraps a Postgres error (from pg or PGlite, which share its shape) the way driver adapters report them, so
 * the schema engine shows the database's message and SQLSTATE. Anything else is returned unchanged.
 */
export function toDriverAdapterError(error: unknown): unknown {
  if (error === null || typeof error !== 'object') return error
  const e = error as Partial<Record<'code' | 'severity' | 'message' | 'detail' | 'column' | 'hint', unknown>>
  if (typeof e.code !== 'string' || typeof e.message !== 'string') return error
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
  return new DriverAdapterError({
    kind: 'postgres',
    code: e.code,
    severity: text(e.severity) ?? 'ERROR',
    message: e.message,
    detail: text(e.detail),
    column: text(e.column),
    hint: text(e.hint),
  })
}

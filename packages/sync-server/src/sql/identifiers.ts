/**
 * Quotes a Postgres identifier. Identifiers only ever come from the declaration (table, field and parent-key
 * names), never from a request; quoting keeps mixed-case Prisma names ("companyId") intact and makes an odd
 * declared name harmless.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\u0000'))
    throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`)
  return `"${name.replaceAll('"', '""')}"`
}

/** ISO-8601 UTC text with milliseconds, built in SQL so adapter-pg and PGlite return the same string. */
export const isoText = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** Quotes a string literal. Only for names from the declaration (a table name compared with Tombstone.entity). */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error(`invalid SQL literal: ${JSON.stringify(value)}`)
  return `'${value.replaceAll("'", "''")}'`
}

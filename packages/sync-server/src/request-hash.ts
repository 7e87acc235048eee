import { createHash } from 'node:crypto'

/**
 * SHA-256 of a canonical JSON of the parsed request, used to tell a resend (same hash) from a reused syncId
 * (different hash, refused).
 *
 * `cursor` is left out on purpose: it only chooses what is READ back (full or delta), never what is written,
 * and a device that resends an attempt after a lost response may legitimately have moved its cursor (another
 * tab, a read-only sync in between). Treating that as a different payload would turn a harmless resend into a
 * 409 and strand the device's changes. Everything that is written — deviceId, syncId and every change — is in.
 *
 * Hashing the PARSED request means the hash is the same whether a device sent `""`, `null` or nothing for an
 * empty field, and whatever the key order on the wire.
 */
export function requestHash(request: Readonly<Record<string, unknown>>): string {
  const { cursor: _cursor, ...written } = request
  return createHash('sha256').update(canonicalJson(written)).digest('hex')
}

/** JSON with object keys sorted at every level; array order is kept (it is meaningful: insert order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

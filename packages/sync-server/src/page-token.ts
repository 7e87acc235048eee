/**
 * Rule G4: the `page.next` token. Opaque to the device; to the server it is where a full download stands:
 * its snapshot cursor C (G2), the totals counted at C (G1), the entity being read and the keyset position
 * after the last record sent (G3). Binary, then base64url, so that a 64-character sort key in any script fits
 * the protocol's 512-character limit:
 *
 *   byte 0      format (1)
 *   byte 1      entity: 0 parents, 1 children
 *   bytes 2–9   C, unsigned 64-bit big-endian (at most 2^63 − 1, a Postgres bigint)
 *   bytes 10–13 parents in the download, unsigned 32-bit
 *   bytes 14–17 children in the download, unsigned 32-bit
 *   bytes 18–21 id of the last record sent (0: none yet), unsigned 32-bit (at most 2^31 − 1, rule S1)
 *   bytes 22–   parents only: the last record's sort key, UTF-8 (at most SORT_KEY_CHARS characters)
 *
 * Not signed: a token edited into another well-formed one only moves where the download reads, among rows the
 * session may read anyway, and the snapshot rules (G2, G6) still hold for whatever C it names.
 */

/** Characters of the parent's sort field that the keyset uses (the index is on left(field, 64), id). */
export const SORT_KEY_CHARS = 64

export type PageEntity = 'parents' | 'children'

export interface PageToken {
  /** The download's snapshot cursor (rule G2). */
  cursor: string
  total: { parents: number; children: number }
  entity: PageEntity
  /** Keyset position after the last record sent; `{ key: '', id: 0 }` before the entity's first record. */
  after: { key: string; id: number }
}

const FORMAT = 1
const HEADER = 22
const MAX_INT = 2 ** 31 - 1
const MAX_BIGINT = 2n ** 63n - 1n
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodePageToken(token: PageToken): string {
  const key = Buffer.from(token.after.key, 'utf8')
  const bytes = Buffer.alloc(HEADER + key.length)
  bytes.writeUInt8(FORMAT, 0)
  bytes.writeUInt8(token.entity === 'parents' ? 0 : 1, 1)
  bytes.writeBigUInt64BE(BigInt(token.cursor), 2)
  bytes.writeUInt32BE(token.total.parents, 10)
  bytes.writeUInt32BE(token.total.children, 14)
  bytes.writeUInt32BE(token.after.id, 18)
  key.copy(bytes, HEADER)
  return bytes.toString('base64url')
}

/**
 * Reads a token strictly: anything this server would not have written (another format, a truncated or padded
 * body, a value out of range, a key on a child position, a key that is not UTF-8 or is too long) is an error
 * whose message says what is wrong. Never throws.
 */
export function decodePageToken(
  text: string,
): { ok: true; token: PageToken } | { ok: false; message: string } {
  const fail = (why: string) => ({
    ok: false as const,
    message: `page is not a page token of this server (${why})`,
  })
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(text)) return fail('not base64url')
  const bytes = Buffer.from(text, 'base64url')
  // Node ignores stray trailing bits; a canonical token re-encodes to itself.
  if (bytes.toString('base64url') !== text) return fail('not canonical base64url')
  if (bytes.length < HEADER) return fail('too short')
  if (bytes.readUInt8(0) !== FORMAT) return fail('unknown format')
  const role = bytes.readUInt8(1)
  if (role > 1) return fail('unknown entity')
  const cursor = bytes.readBigUInt64BE(2)
  if (cursor > MAX_BIGINT) return fail('cursor out of range')
  const parents = bytes.readUInt32BE(10)
  const children = bytes.readUInt32BE(14)
  const id = bytes.readUInt32BE(18)
  if (parents > MAX_INT || children > MAX_INT || id > MAX_INT) return fail('number out of range')
  let key: string
  try {
    key = decoder.decode(bytes.subarray(HEADER))
  } catch {
    return fail('sort key is not UTF-8')
  }
  if (key.includes('\u0000')) return fail('sort key holds NUL')
  if ([...key].length > SORT_KEY_CHARS) return fail('sort key too long')
  if (key !== '' && (role === 1 || id === 0)) return fail('sort key where none belongs')
  return {
    ok: true,
    token: {
      cursor: cursor.toString(),
      total: { parents, children },
      entity: role === 0 ? 'parents' : 'children',
      after: { key, id },
    },
  }
}

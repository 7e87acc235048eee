import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt cost; the stored hash carries its own parameters, so raising this later keeps old hashes valid. */
export const DEFAULT_SCRYPT_N = 2 ** 17
const R = 8
const P = 1
const SALT_BYTES = 16
const KEY_BYTES = 32
const MAX_MEM = 256 * 1024 * 1024

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...options, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

/** `scrypt$N$r$p$salt$key` (salt and key base64url). */
export async function hashPassword(password: string, n: number = DEFAULT_SCRYPT_N): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, { N: n, r: R, p: P })
  return ['scrypt', n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** True when `password` matches `stored`; false (never throws) for a malformed or foreign hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [n, r, p] = parts.slice(1, 4).map(Number)
  if (!n || !r || !p) return false
  const salt = Buffer.from(parts[4]!, 'base64url')
  const expected = Buffer.from(parts[5]!, 'base64url')
  if (expected.length !== KEY_BYTES) return false
  try {
    const actual = await derive(password, salt, { N: n, r, p })
    return timingSafeEqual(actual, expected)
  } catch {
    // Parameters scrypt refuses (N not a power of two, beyond maxmem): no password can match.
    return false
  }
}

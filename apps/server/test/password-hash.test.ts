import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../src/accounts/password-hash.ts'

describe('password hashing', () => {
  it('uses scrypt N=2^17, r=8, p=1 with a 16-byte salt and 32-byte key by default', async () => {
    const hash = await hashPassword('correct horse battery')
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(await verifyPassword('correct horse battery', hash)).toBe(true)
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false)
  })

  it('salts every hash, and verifies with the parameters stored in the hash', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password', 2 ** 10),
      hashPassword('same password', 2 ** 10),
    ])
    expect(a).not.toBe(b)
    expect(a.startsWith('scrypt$1024$')).toBe(true)
    expect(await verifyPassword('same password', a)).toBe(true)
    expect(await verifyPassword('same password', b)).toBe(true)
  })

  it('treats a malformed or foreign stored hash as a mismatch instead of throwing', async () => {
    for (const stored of [
      '',
      'plain text',
      'bcrypt$2b$10$abc',
      'scrypt$0$8$1$c2FsdA$a2V5',
      'scrypt$1024$8$1$c2FsdA$short',
      // Parameters scrypt itself refuses: N not a power of two, and far beyond the memory cap.
      `scrypt$1000$8$1$c2FsdA$${'A'.repeat(43)}`,
      `scrypt$1073741824$8$1$c2FsdA$${'A'.repeat(43)}`,
    ])
      expect(await verifyPassword('anything at all', stored)).toBe(false)
  })
})

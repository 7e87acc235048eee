import { describe, expect, it } from 'vitest'
import { checkCredentials } from './check-credentials.ts'

describe('checkCredentials', () => {
  it('accepts a trimmed email and, for a new account, a password of 10 to 200 characters', () => {
    expect(checkCredentials({ email: '  ann@example.com ', password: '0123456789' }, 'setup')).toEqual({})
    expect(checkCredentials({ email: 'ann@example.com', password: 'x'.repeat(200) }, 'setup')).toEqual({})
  })

  it('names each broken rule on its field', () => {
    expect(checkCredentials({ email: '', password: '' }, 'sign-in')).toEqual({
      email: 'Enter your email address.',
      password: 'Enter your password.',
    })
    expect(checkCredentials({ email: 'ann', password: 'x' }, 'sign-in').email).toMatch(
      /like name@example.com/,
    )
    expect(checkCredentials({ email: `${'a'.repeat(320)}@b`, password: 'x' }, 'sign-in').email).toMatch(/320/)
    expect(checkCredentials({ email: 'a@b', password: 'short' }, 'setup').password).toMatch(/at least 10/)
    expect(checkCredentials({ email: 'a@b', password: 'x'.repeat(201) }, 'setup').password).toMatch(/200/)
  })

  it('does not judge the length of a password being signed in with: the server answers the same for any wrong one', () => {
    expect(checkCredentials({ email: 'a@b', password: 'short' }, 'sign-in')).toEqual({})
  })
})

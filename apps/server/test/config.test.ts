import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'

describe('rate limits from the environment', () => {
  it('uses the defaults when unset', () => {
    expect(readConfig({}).rateLimits).toEqual({
      signIn: { limit: 10, windowSeconds: 900 },
      signInIp: { limit: 100, windowSeconds: 900 },
      sync: { limit: 120, windowSeconds: 60 },
    })
  })

  it('overrides the count per window', () => {
    const { rateLimits } = readConfig({
      RATE_LIMIT_SIGN_IN: '3',
      RATE_LIMIT_SIGN_IN_IP: '50',
      RATE_LIMIT_SYNC: '1000',
    })
    expect(rateLimits.signIn).toEqual({ limit: 3, windowSeconds: 900 })
    expect(rateLimits.signInIp).toEqual({ limit: 50, windowSeconds: 900 })
    expect(rateLimits.sync).toEqual({ limit: 1000, windowSeconds: 60 })
  })

  it('fails fast on a value that is not a positive whole number', () => {
    for (const value of ['0', '-1', '2.5', 'ten'])
      expect(() => readConfig({ RATE_LIMIT_SYNC: value })).toThrow(/RATE_LIMIT_SYNC must be a whole number/)
  })
})

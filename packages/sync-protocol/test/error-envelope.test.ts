import { describe, expect, it } from 'vitest'
import {
  ERROR_CODES,
  FAILURE_KIND_OF_ERROR,
  FAILURE_KINDS,
  RETRYABLE_ERRORS,
  failureKindOfError,
  isRetryableFailure,
  readErrorEnvelope,
} from '../src/index.ts'

describe('error envelope (rules E1–E3)', () => {
  it('rule E1: reads { error: { code, message, details? } } and nothing else', () => {
    const details = [{ path: 'contacts.added.0.email', message: 'Not an email' }]
    expect(readErrorEnvelope({ error: { code: 'invalid_request', message: 'Bad', details } })).toEqual({
      code: 'invalid_request',
      message: 'Bad',
      details,
    })
    expect(readErrorEnvelope({ error: { code: 'internal', message: 'Oops' } })).toEqual({
      code: 'internal',
      message: 'Oops',
    })
    for (const body of [
      null,
      '<h1>Bad gateway</h1>',
      { error: 'boom' },
      { error: { code: 'internal' } },
      { error: { message: 'no code' } },
      { error: { code: '', message: 'empty code' } },
      { code: 'internal', message: 'not wrapped' },
    ])
      expect(readErrorEnvelope(body)).toBeUndefined()
  })

  it('rule E2: every error code has a failure kind; an unknown code has none', () => {
    for (const code of ERROR_CODES) expect(FAILURE_KINDS).toContain(failureKindOfError(code))
    expect(failureKindOfError('brand_new_code')).toBeUndefined()
    expect(failureKindOfError('toString')).toBeUndefined()
  })

  it('rule E3: one list decides retryability; the retryable codes are derived from it', () => {
    expect([...RETRYABLE_ERRORS].sort()).toEqual(['internal', 'rate_limited', 'unavailable'])
    for (const code of ERROR_CODES)
      expect(RETRYABLE_ERRORS.has(code)).toBe(isRetryableFailure(FAILURE_KIND_OF_ERROR[code]))
    // Nobody has to sign in or fix the request for these to work when resent.
    expect(FAILURE_KINDS.filter(isRetryableFailure)).toEqual([
      'offline',
      'timeout',
      'network',
      'rate_limited',
      'unavailable',
      'server',
      'invalid_response',
    ])
  })
})

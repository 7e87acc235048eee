import { describe, expect, it } from 'vitest'
import { toHttpError } from '../src/http/error-handler.ts'

describe('error handler', () => {
  it('a 500 on sign-in or setup does not talk about syncs; on the sync route it says the sync can be retried', () => {
    for (const path of ['/api/auth/sign-in', '/api/setup', '/api/auth/session']) {
      const error = toHttpError(new Error('boom'), path)
      expect(error).toMatchObject({ status: 500, code: 'internal' })
      expect(error.message).not.toMatch(/sync/i)
    }
    expect(toHttpError(new Error('boom'), '/api/sync').message).toMatch(/the sync can be retried/)
  })
})

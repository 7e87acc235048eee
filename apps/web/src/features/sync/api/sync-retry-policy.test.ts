import { describe, expect, it } from 'vitest'
import { MAX_SYNC_RETRIES, shouldRetrySync, syncRetryDelay } from './sync-retry-policy.ts'
import { SyncRunError } from './sync-run-error.ts'

const failure = (kind: SyncRunError['kind'], retryable: boolean, retryAfterMs?: number) =>
  new SyncRunError(kind, 'failed', retryable, retryAfterMs)

describe('sync retry policy', () => {
  it('R7: a lost response (timeout, network, 5xx) is retried by timer, a bounded number of times', () => {
    for (const kind of ['timeout', 'network', 'server', 'unavailable'] as const) {
      expect(shouldRetrySync(0, failure(kind, true))).toBe(true)
    }
    expect(shouldRetrySync(MAX_SYNC_RETRIES - 1, failure('network', true))).toBe(true)
    expect(shouldRetrySync(MAX_SYNC_RETRIES, failure('network', true))).toBe(false)
  })

  it('R19: a refused request is not resent by timer', () => {
    expect(shouldRetrySync(0, failure('bad_request', false))).toBe(false)
    expect(shouldRetrySync(0, failure('unauthorized', false))).toBe(false)
    expect(shouldRetrySync(0, failure('conflict', false))).toBe(false)
  })

  it('offline is left to the online event rather than a timer', () => {
    expect(shouldRetrySync(0, failure('offline', true))).toBe(false)
  })

  it('R20: backoff has full jitter, grows, caps at 60 s and honours Retry-After', () => {
    const max = () => 0.999999
    expect(syncRetryDelay(0, failure('network', true), max)).toBeLessThan(1000)
    expect(syncRetryDelay(3, failure('network', true), max)).toBeLessThan(8000)
    expect(syncRetryDelay(3, failure('network', true), max)).toBeGreaterThan(4000)
    expect(syncRetryDelay(20, failure('network', true), max)).toBeLessThanOrEqual(60_000)
    expect(syncRetryDelay(0, failure('network', true), () => 0)).toBe(0)
    expect(syncRetryDelay(0, failure('rate_limited', true, 7000), () => 0)).toBe(7000)
  })
})

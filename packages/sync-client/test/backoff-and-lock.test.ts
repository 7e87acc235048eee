import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../src/backoff.ts'
import { memorySyncLock, webSyncLock } from '../src/sync-lock.ts'
import { gate } from './helpers.ts'

describe('retry backoff', () => {
  it('full jitter: 0 up to 1 s × 2^(attempt−1), capped at 60 s', () => {
    expect(retryDelayMs(1, { random: () => 0.999 })).toBe(999)
    expect(retryDelayMs(3, { random: () => 0.5 })).toBe(2000)
    expect(retryDelayMs(30, { random: () => 0.999 })).toBe(59_940)
    expect(retryDelayMs(1000, { random: () => 1 })).toBe(60_000)
    expect(retryDelayMs(1, { random: () => 0 })).toBe(0)
    expect(retryDelayMs(0, { random: () => 0.5 })).toBe(500)
  })

  it("the server's Retry-After is a floor", () => {
    expect(retryDelayMs(1, { retryAfterMs: 120_000, random: () => 0.5 })).toBe(120_000)
    expect(retryDelayMs(8, { retryAfterMs: 10, random: () => 0.5 })).toBe(30_000)
  })
})

describe('sync lock', () => {
  for (const [name, make] of [
    ['memory', () => memorySyncLock()],
    ['web (fallback without navigator.locks)', () => webSyncLock(`t-${crypto.randomUUID()}`)],
  ] as const) {
    it(`${name}: a second caller does not wait, it is told the lock is busy; the lock is freed after a failure`, async () => {
      const lock = make()
      const held = gate()
      const first = lock(() => held.opened.then(() => 'first'))
      expect(await lock(async () => 'second')).toEqual({ ran: false })
      held.open()
      expect(await first).toEqual({ ran: true, value: 'first' })
      await expect(lock(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
      expect(await lock(async () => 'again')).toEqual({ ran: true, value: 'again' })
    })
  }
})

import { describe, expect, it } from 'vitest'
import { formatRelativeTime, toEpochMs } from './relative-time.ts'

describe('formatRelativeTime', () => {
  const now = Date.parse('2025-06-01T12:00:00Z')
  it('reads like a person would say it', () => {
    expect(formatRelativeTime(now - 10_000, now)).toBe('just now')
    expect(formatRelativeTime(now + 60_000, now)).toBe('just now')
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 minutes ago')
    expect(formatRelativeTime(now - 3 * 3_600_000, now)).toBe('3 hours ago')
    expect(formatRelativeTime(now - 24 * 3_600_000, now)).toBe('yesterday')
  })
})

describe('toEpochMs', () => {
  it('accepts numbers, ISO strings and dates, and nothing else', () => {
    expect(toEpochMs(5)).toBe(5)
    expect(toEpochMs('2025-01-01T00:00:00Z')).toBe(Date.parse('2025-01-01T00:00:00Z'))
    expect(toEpochMs(new Date(7))).toBe(7)
    expect(toEpochMs(null)).toBeNull()
    expect(toEpochMs('not a date')).toBeNull()
  })
})

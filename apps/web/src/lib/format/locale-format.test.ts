import { describe, expect, it } from 'vitest'
import { formatDateTime, formatNumber } from './locale-format.ts'
import { formatRelativeTime } from './relative-time.ts'

describe('locale formats', () => {
  const now = Date.parse('2026-12-02T14:05:00Z')

  it('writes numbers with the locale’s grouping', () => {
    expect(formatNumber(10000, 'en')).toBe('10,000')
    expect(formatNumber(10000, 'de')).toBe('10.000')
    expect(formatNumber(1234567, 'fr').replace(/\s/g, ' ')).toBe('1 234 567')
  })

  it('writes dates in the locale’s order and words', () => {
    expect(formatDateTime(Date.UTC(2026, 11, 2, 14, 5), 'en-GB')).toMatch(/2 Dec 2026/)
    expect(formatDateTime(Date.UTC(2026, 11, 2, 14, 5), 'de')).toMatch(/02\.12\.2026/)
  })

  it('writes relative times in the locale', () => {
    expect(formatRelativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago')
    expect(formatRelativeTime(now - 5 * 60_000, now, 'de')).toBe('vor 5 Minuten')
    expect(formatRelativeTime(now - 24 * 3_600_000, now, 'fr')).toBe('hier')
    expect(formatRelativeTime(now - 10_000, now, 'en-GB')).toBe('just now')
    expect(formatRelativeTime(now - 10_000, now, 'de')).toBe('jetzt')
  })
})

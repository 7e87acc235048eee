// The browser's locale (navigator.languages): "vor 5 Minuten" on a German phone, "5 minutes ago" on an English one.
const browserFormatter = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
]

/**
 * "just now", "5 minutes ago", "yesterday"… for a past moment, in the browser's locale (`locale` is for tests).
 * Under 45 seconds, and future moments (clock skew), read "just now" (the locale's own word for it).
 */
export function formatRelativeTime(at: number, now: number, locale?: string): string {
  const formatter =
    locale === undefined ? browserFormatter : new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  let value = (at - now) / 1000
  if (value > -45) return justNow(formatter)
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return formatter.format(Math.round(value), unit)
    value /= size
  }
  return formatter.format(Math.round(value), 'year')
}

/** Milliseconds since the epoch from what storage may hold: a number, an ISO string or a Date. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime()
  if (typeof value === 'string') {
    const ms = Date.parse(value)
    return Number.isNaN(ms) ? null : ms
  }
  return null
}

/** English says "just now"; other locales get their own "now" (Intl's 0 seconds with numeric: 'auto'). */
function justNow(formatter: Intl.RelativeTimeFormat): string {
  return formatter.resolvedOptions().locale.startsWith('en') ? 'just now' : formatter.format(0, 'second')
}

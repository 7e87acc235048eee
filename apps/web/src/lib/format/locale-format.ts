/**
 * Numbers and dates in the browser's own locale (`undefined` = the user's languages, navigator.languages), so a
 * French phone reads "10 000" and "2 déc. 2026, 14:05". The words around them stay English: the app is not
 * translated. `locale` is for tests.
 */
const numbers = new Intl.NumberFormat(undefined)
const dateTimes = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatNumber(value: number, locale?: string): string {
  return (locale === undefined ? numbers : new Intl.NumberFormat(locale)).format(value)
}

/** A number rounded to at most `digits` decimals, in the locale ("1.5" / "1,5"). */
export function formatDecimal(value: number, digits: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)
}

export function formatDateTime(at: Date | number, locale?: string): string {
  const format =
    locale === undefined
      ? dateTimes
      : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  return format.format(at)
}

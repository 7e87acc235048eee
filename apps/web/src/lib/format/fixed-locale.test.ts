import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const src = join(import.meta.dirname, '../..')

/** Every source file of the app, tests left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** A formatter or conversion given a fixed locale: `Intl.NumberFormat('en')`, `toLocaleString('en-US')`, … */
const FIXED_LOCALE =
  /(?:Intl\.(?:NumberFormat|DateTimeFormat|RelativeTimeFormat|PluralRules|Collator|ListFormat)|toLocale(?:String|DateString|TimeString)|localeCompare)\(\s*(?:[^,()]*,\s*)?['"`][a-z]{2}(?:-[A-Z]{2})?['"`]/

describe('numbers and dates in the browser’s locale', () => {
  it('no formatter in the app is given a fixed locale such as "en" (issue 15)', () => {
    const fixed = sources(src)
      .filter((file) => FIXED_LOCALE.test(readFileSync(file, 'utf8')))
      .map((file) => relative(src, file))
    expect(fixed).toEqual([])
  })

  it('the check recognises a fixed locale, and not the browser’s', () => {
    expect(FIXED_LOCALE.test(`const numbers = new Intl.NumberFormat('en')`)).toBe(true)
    expect(FIXED_LOCALE.test(`n.toLocaleString("en-US")`)).toBe(true)
    expect(FIXED_LOCALE.test(`a.localeCompare(b, 'en')`)).toBe(true)
    expect(FIXED_LOCALE.test(`new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })`)).toBe(false)
    expect(FIXED_LOCALE.test(`new Date(at).toLocaleString()`)).toBe(false)
  })
})

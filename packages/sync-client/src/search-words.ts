import type { EntitySpec } from '@offline-sync/sync-protocol'

/**
 * The words a record is found by, kept in the sparse multi-entry index `_words` (see search-index.ts), and the
 * words of a typed query. Both go through `normalise`, so "Ölmühle", "olmuhle" and "OLMÜHLE" meet.
 *
 * - text fields: every run of letters and digits, lower-cased, accents stripped ("Night Owl Bakery" → night, owl,
 *   bakery; "ada.l@example.org" → ada, l, example, org);
 * - phone fields: their digits, ignoring spaces and punctuation, from the first digit and from the start of every
 *   group ("+44 20 7946-0958" → 442079460958, 2079460958, 79460958, 0958), so a number typed without spaces from
 *   any group on is the start of a word;
 * - url fields are left out: "www", "https" and "com" would make nearly every record match a short query.
 */

/**
 * Lower case, accents and other combining marks removed (NFD, then drop `\p{M}`); the letters NFD does not
 * decompose are spelled as people type them on a plain keyboard (ß → ss, æ → ae, ø → o, œ → oe, ł → l).
 */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæøœł]/g, (c) => SPELLED[c] ?? c)
}

const SPELLED: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l' }

const WORD = /[\p{L}\p{N}]+/gu

/** The words of a text: runs of letters and digits after `normalise`. */
export function textWords(text: string): string[] {
  return normalise(text).match(WORD) ?? []
}

/** A phone number's digits from the start and from every later group of digits. */
export function phoneWords(phone: string): string[] {
  const groups = phone.match(/\d+/g) ?? []
  const words: string[] = []
  for (let i = 0; i < groups.length; i++) words.push(groups.slice(i).join(''))
  return words
}

/** The distinct words of a record's searchable fields (text and phone fields of the declaration). */
export function recordWords(entity: EntitySpec, record: Record<string, unknown>): string[] {
  const words = new Set<string>()
  for (const [name, field] of Object.entries(entity.fields)) {
    const value = record[name]
    if (typeof value !== 'string' || value === '' || field.format === 'url') continue
    const found = field.format === 'phone' ? phoneWords(value) : textWords(value)
    for (const word of found) words.add(word)
  }
  return [...words]
}

/**
 * The words of a query, longest first (the longest is the most selective: the search reads its index range and
 * checks the others on the records found). A query made only of digits and phone punctuation ("020 7946-0958",
 * "(0)20 79") is one number: its digits joined.
 */
export function queryWords(query: string): string[] {
  const trimmed = query.trim()
  if (/\d/.test(trimmed) && /^[\d\s()+\-./]+$/.test(trimmed)) return [trimmed.replace(/\D/g, '')]
  const words = [...new Set(textWords(trimmed))]
  // Drop a word that is the start of another one: "own owner" matches exactly what "owner" matches.
  const kept = words.filter((w) => !words.some((other) => other !== w && other.startsWith(w)))
  return kept.sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
}

/** True when every query word is the start of one of the record's words. */
export function matchesAll(query: readonly string[], words: readonly string[]): boolean {
  return query.every((q) => words.some((w) => w.startsWith(q)))
}

/**
 * A small vCard 3.0 writer (RFC 2426, decision 019): 3.0 because phone address books (iOS Contacts, Google
 * Contacts, Android's importer) read it everywhere, where 4.0 is still refused or half-read by some.
 */

/** What one card carries; empty fields are left out of the card. */
export interface VCardContact {
  uid: string
  name: string
  jobTitle?: string | null
  email?: string | null
  phone?: string | null
  companyName?: string | null
  companyAddress?: string | null
}

const CRLF = '\r\n'
/** RFC 2426 §2.6 / RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_OCTETS = 75

/** Escapes a text value: backslash, comma, semicolon and line breaks (RFC 2426 §5, "text" value type). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n')
}

const encoder = new TextEncoder()

/**
 * Folds a content line into lines of at most 75 octets of UTF-8, each continuation starting with one space.
 * Splits between code points only, so a multi-byte character (é, an emoji) is never cut in half.
 */
export function foldLine(line: string): string {
  const parts: string[] = []
  let current = ''
  let octets = 0
  // The space that starts a continuation line counts towards its 75 octets.
  let limit = MAX_OCTETS
  for (const char of line) {
    const size = encoder.encode(char).length
    if (octets + size > limit) {
      parts.push(current)
      current = ''
      octets = 0
      limit = MAX_OCTETS - 1
    }
    current += char
    octets += size
  }
  parts.push(current)
  return parts.join(`${CRLF} `)
}

/**
 * "Ada King Lovelace" → family "Lovelace", given "Ada King": the N property wants the parts, the app keeps one
 * name, so the last word is taken as the family name (a guess; FN keeps the name exactly as typed).
 */
export function splitName(name: string): { family: string; given: string } {
  const words = name.trim().split(/\s+/)
  if (words.length < 2) return { family: name.trim(), given: '' }
  return { family: words[words.length - 1] ?? '', given: words.slice(0, -1).join(' ') }
}

/** One contact as a vCard 3.0, CRLF line ends, folded. */
export function writeVCard(contact: VCardContact): string {
  const { family, given } = splitName(contact.name)
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escapeText(contact.name)}`]
  lines.push(`N:${escapeText(family)};${escapeText(given)};;;`)
  if (contact.companyName) lines.push(`ORG:${escapeText(contact.companyName)}`)
  if (contact.jobTitle) lines.push(`TITLE:${escapeText(contact.jobTitle)}`)
  if (contact.email) lines.push(`EMAIL;TYPE=INTERNET,WORK:${escapeText(contact.email)}`)
  if (contact.phone) lines.push(`TEL;TYPE=WORK,VOICE:${escapeText(contact.phone)}`)
  // The company's address is one free text; it goes in the street part, the rest left empty.
  if (contact.companyAddress) lines.push(`ADR;TYPE=WORK:;;${escapeText(contact.companyAddress)};;;;`)
  lines.push(`UID:urn:uuid:${contact.uid}`, 'END:VCARD')
  return lines.map(foldLine).join(CRLF) + CRLF
}

/** Several contacts in one .vcf file (address books import every card of it). */
export function writeVCards(contacts: readonly VCardContact[]): string {
  return contacts.map(writeVCard).join('')
}

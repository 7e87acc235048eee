import { describe, expect, it } from 'vitest'
import { escapeText, foldLine, splitName, writeVCard, writeVCards } from './vcard.ts'

const octets = (s: string) => new TextEncoder().encode(s).length
/** Undoes folding as a reader does (RFC 2426 §2.6): a CRLF followed by one space is removed. */
const unfold = (s: string) => s.replace(/\r\n /g, '')

describe('vCard writer', () => {
  it('escapes backslash, comma, semicolon and every kind of line break', () => {
    expect(escapeText('a\\b,c;d\ne\r\nf\rg')).toBe('a\\\\b\\,c\\;d\\ne\\nf\\ng')
  })

  it('writes a 3.0 card with CRLF line ends and only the fields that are set', () => {
    const card = writeVCard({ uid: 'u-1', name: 'Ada Lovelace', email: 'ada@example.com', phone: null })
    expect(card).toBe(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Ada Lovelace',
        'N:Lovelace;Ada;;;',
        'EMAIL;TYPE=INTERNET,WORK:ada@example.com',
        'UID:urn:uuid:u-1',
        'END:VCARD',
        '',
      ].join('\r\n'),
    )
  })

  it('carries job title, phone, company and its address, escaped', () => {
    const card = writeVCard({
      uid: 'u-2',
      name: 'Grace Hopper',
      jobTitle: 'Rear admiral, retired',
      phone: '+1 (555) 010-0000',
      companyName: 'Navy; Research',
      companyAddress: '1 Main St\nArlington',
    })
    expect(card).toContain('\r\nORG:Navy\\; Research\r\n')
    expect(card).toContain('\r\nTITLE:Rear admiral\\, retired\r\n')
    expect(card).toContain('\r\nTEL;TYPE=WORK,VOICE:+1 (555) 010-0000\r\n')
    expect(card).toContain('\r\nADR;TYPE=WORK:;;1 Main St\\nArlington;;;;\r\n')
  })

  it('folds lines at 75 octets of UTF-8 without cutting a character, and unfolds to the original', () => {
    const name = 'Zoë Ångström-Ødegaard 😀 '.repeat(8).trim()
    const card = writeVCard({ uid: 'u-3', name })
    for (const line of card.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75)
    // No replacement characters: every physical line is valid UTF-8 on its own.
    for (const line of card.split('\r\n')) expect(line).not.toMatch(/\uFFFD/)
    expect(unfold(card)).toContain(`\r\nFN:${name}\r\n`)
  })

  it('leaves a line of exactly 75 octets alone and folds one of 76', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75))
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`)
  })

  it('splits a name into family (last word) and given names for N', () => {
    expect(splitName('Ada King Lovelace')).toEqual({ family: 'Lovelace', given: 'Ada King' })
    expect(splitName('Cher')).toEqual({ family: 'Cher', given: '' })
  })

  it('puts several cards one after another', () => {
    const file = writeVCards([
      { uid: 'a', name: 'A' },
      { uid: 'b', name: 'B' },
    ])
    expect(file.match(/BEGIN:VCARD/g)).toHaveLength(2)
    expect(file.endsWith('END:VCARD\r\n')).toBe(true)
  })
})

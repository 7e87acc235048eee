import { describe, expect, it } from 'vitest'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { matchesAll, normalise, phoneWords, queryWords, recordWords, textWords } from '../src/search-words.ts'

describe('search words', () => {
  it('normalises case and accents', () => {
    expect(normalise('Ölmühle Crème BRÛLÉE')).toBe('olmuhle creme brulee')
    expect(normalise('Hauptstraße Søren Łódź')).toBe('hauptstrasse soren lodz')
    expect(textWords('Night Owl Bakery')).toEqual(['night', 'owl', 'bakery'])
    expect(textWords('Zoë-Ångström, 3rd floor')).toEqual(['zoe', 'angstrom', '3rd', 'floor'])
  })

  it('splits an e-mail into its words', () => {
    expect(textWords('Ada.Lovelace@Example.org')).toEqual(['ada', 'lovelace', 'example', 'org'])
  })

  it('keeps a phone number as digits from its start and from every later group', () => {
    expect(phoneWords('+44 20 7946-0958')).toEqual(['442079460958', '2079460958', '79460958', '0958'])
    expect(phoneWords('(555) 010.2030')).toEqual(['5550102030', '0102030', '2030'])
    expect(phoneWords('no digits')).toEqual([])
  })

  it('takes the words of text and phone fields, not of the website', () => {
    const words = recordWords(companiesContacts.parent, {
      name: 'Night Owl Bakery',
      address: '12 Rue de l’Église',
      phone: '020 7946 0958',
      email: 'hello@nightowl.test',
      website: 'https://www.nightowl.test',
      uid: 'not-a-field',
    })
    expect(words).toEqual(
      expect.arrayContaining(['night', 'owl', 'bakery', 'rue', 'eglise', '02079460958', '0958', 'hello']),
    )
    expect(words).not.toContain('https')
    expect(words).not.toContain('www')
    expect(words).not.toContain('not')
    expect(new Set(words).size).toBe(words.length)
  })

  it('reads a query of digits and phone punctuation as one number, and other queries as words, longest first', () => {
    expect(queryWords(' 020 7946-0958 ')).toEqual(['02079460958'])
    expect(queryWords('(0)20 79')).toEqual(['02079'])
    expect(queryWords('owl NIGHT b')).toEqual(['night', 'owl', 'b'])
    expect(queryWords('own owner')).toEqual(['owner'])
    expect(queryWords('Crème')).toEqual(['creme'])
    expect(queryWords('  ')).toEqual([])
    expect(queryWords('unit 4')).toEqual(['unit', '4'])
  })

  it('matches when every query word starts a record word', () => {
    const words = ['night', 'owl', 'bakery']
    expect(matchesAll(['bak', 'ow'], words)).toBe(true)
    expect(matchesAll(['akery'], words)).toBe(false) // the start of a word, not any substring
    expect(matchesAll(['bak', 'cafe'], words)).toBe(false)
  })
})

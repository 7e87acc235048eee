import { describe, expect, it } from 'vitest'
import { cleanCell, planImport } from './plan-import.ts'
import { guessMapping } from './import-fields.ts'

const contactsSheet = guessMapping(['Name', 'Email', 'Company'])

describe('planImport', () => {
  it('creates a company once for the rows that name it, and links the rest to it or to one already here', () => {
    const plan = planImport(
      [
        ['Ada', 'ada@example.com', 'Night Owl Bakery'],
        ['Bob', '', 'night owl bakery '],
        ['Cy', '', 'Acme'],
      ],
      contactsSheet,
      new Set(['acme']),
    )
    expect(plan.errors).toEqual([])
    expect(plan).toMatchObject({ newCompanies: 1, existingCompanies: 1, newContacts: 3 })
    expect(plan.rows.map((r) => [r.line, r.companyKey, r.newCompany?.name ?? null])).toEqual([
      [2, 'night owl bakery', 'Night Owl Bakery'],
      [3, 'night owl bakery', null],
      [4, 'acme', null],
    ])
  })

  it('reports each bad row by its line with the same messages as the forms, and leaves it out', () => {
    const plan = planImport(
      [
        ['Ada', 'not-an-email', 'Acme'],
        ['', 'b@example.com', 'Acme'],
        ['Cy', '', ''],
        ['x'.repeat(201), '', 'Acme'],
        ['Dee', '', 'Acme'],
      ],
      contactsSheet,
      new Set(),
    )
    expect(plan.errors).toEqual([
      { line: 2, messages: ['Contact: Email must be an email address like name@example.com'] },
      { line: 3, messages: ['Contact: Name is required'] },
      { line: 4, messages: ['Company: Name is required (every contact belongs to a company)'] },
      { line: 5, messages: ['Contact: Name must be at most 200 characters'] },
    ])
    // Acme is created by the first good row (line 6), not by the refused line 2.
    expect(plan.rows).toHaveLength(1)
    expect(plan.rows[0]).toMatchObject({ line: 6, newCompany: { name: 'Acme' } })
  })

  it('checks every field of a company row that creates one, and skips blank lines without an error', () => {
    const mapping = guessMapping(['Name', 'Website', 'Phone'])
    const plan = planImport(
      [
        ['Acme', 'acme.example', ''],
        ['', '', ''],
        ['Beta', 'https://beta.example', '+44 20 7946 0000'],
      ],
      mapping,
      new Set(),
    )
    expect(plan.errors).toEqual([
      { line: 2, messages: ['Company: Website must be a web address starting with http:// or https://'] },
    ])
    expect(plan.blank).toBe(1)
    expect(plan.rows.map((r) => r.newCompany)).toEqual([
      { name: 'Beta', website: 'https://beta.example', phone: '+44 20 7946 0000' },
    ])
  })

  it('takes a value as the form would: trimmed, empty as not set, a formula-guard apostrophe removed', () => {
    expect(cleanCell('  Ada  ')).toBe('Ada')
    expect(cleanCell('   ')).toBeNull()
    expect(cleanCell(undefined)).toBeNull()
    expect(cleanCell("'=SUM(A1)")).toBe('=SUM(A1)')
    expect(cleanCell("O'Brien")).toBe("O'Brien")
  })
})

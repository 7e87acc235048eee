import { describe, expect, it } from 'vitest'
import { guessMapping, targetKey } from './import-fields.ts'
// The headings of the export feature's two CSV files (features do not import each other; the round trip itself is
// tested in app/export-import-round-trip.test.ts).
const companyColumns = ['Name', 'Address', 'Phone', 'Email', 'Website']
const contactColumns = ['Name', 'Job title', 'Email', 'Phone', 'Company']

const keys = (headers: string[]) => guessMapping(headers).map(targetKey)

describe('guessMapping', () => {
  it("reads the app's own companies export back onto the company fields", () => {
    expect(keys([...companyColumns])).toEqual([
      'company.name',
      'company.address',
      'company.phone',
      'company.email',
      'company.website',
    ])
  })

  it("reads the app's own contacts export back: Name, Email and Phone are the contact's, Company links it", () => {
    expect(keys([...contactColumns])).toEqual([
      'contact.name',
      'contact.jobTitle',
      'contact.email',
      'contact.phone',
      'company.name',
    ])
  })

  it('understands common spreadsheet headings, whatever their case, accents and punctuation', () => {
    expect(
      keys(['Organisation', 'Full name', 'E-mail', 'Mobile', 'Position', 'Company website', 'Notes']),
    ).toEqual([
      'company.name',
      'contact.name',
      'contact.email',
      'contact.phone',
      'contact.jobTitle',
      'company.website',
      '',
    ])
  })

  it('maps a field once: a second column for it is left for a person to choose', () => {
    expect(keys(['Company', 'Email', 'E-mail'])).toEqual(['company.name', 'company.email', ''])
  })
})

import Papa from 'papaparse'
import type { ExportCompany, ExportContact } from './read-export-data.ts'

/**
 * A cell that a spreadsheet would run as a formula (=, @, a tab or CR, or + / - before anything but a phone number)
 * gets papaparse's leading apostrophe. "+44 20 7946 0000" stays as it is: phone numbers are the common case here.
 */
const FORMULA = /^[=@\t\r]|^[+-](?![0-9 ().\-/x]*$)/

// Excel reads a UTF-8 file as the system code page unless it starts with a byte-order mark.
const BOM = '\uFEFF'

/** The column headings; the import guesses its mapping from the same words. */
export const companyColumns = ['Name', 'Address', 'Phone', 'Email', 'Website'] as const
export const contactColumns = ['Name', 'Job title', 'Email', 'Phone', 'Company'] as const

function toCsv(fields: readonly string[], data: (string | null)[][]): string {
  return (
    BOM +
    Papa.unparse(
      { fields: [...fields], data: data.map((row) => row.map((cell) => cell ?? '')) },
      { escapeFormulae: FORMULA, newline: '\r\n' },
    ) +
    '\r\n'
  )
}

/** Every company, one row each, in the order given. */
export function companiesCsv(companies: readonly ExportCompany[]): string {
  return toCsv(
    companyColumns,
    companies.map((c) => [c.name, c.address, c.phone, c.email, c.website]),
  )
}

/** Every contact with its company's name (not its id, which means nothing outside the app). */
export function contactsCsv(contacts: readonly ExportContact[]): string {
  return toCsv(
    contactColumns,
    contacts.map((c) => [c.name, c.jobTitle, c.email, c.phone, c.companyName]),
  )
}

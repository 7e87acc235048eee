import { checkRecord, companiesContacts } from '@offline-sync/sync-protocol'
import type { ImportTarget } from './import-fields.ts'

const { parent, child } = companiesContacts

type Fields = Record<string, string | null>

/** One row of the file that can be imported: its company (new, or one already here) and maybe a contact. */
export interface PlannedRow {
  /** The line in the file, counting the heading as line 1, so a person can find it in the spreadsheet. */
  line: number
  /** Lower-cased trimmed company name: rows that name the same company share it. */
  companyKey: string
  /** Set on the first row naming a company that is not on the device: that row creates it. */
  newCompany: Fields | null
  contact: Fields | null
}

export interface RowError {
  line: number
  messages: string[]
}

export interface ImportPlan {
  rows: PlannedRow[]
  errors: RowError[]
  /** Rows with nothing in any mapped column (blank lines in a spreadsheet): skipped without an error. */
  blank: number
  newCompanies: number
  existingCompanies: number
  newContacts: number
}

/** The key companies are matched by: trimmed, case-insensitive, accents as typed (decision 019). */
export const companyKey = (name: string) => name.trim().toLowerCase()

/**
 * Cleans one cell as the form would take it, plus what spreadsheets add: surrounding spaces go, an empty cell is
 * "not set", and the apostrophe a CSV export puts before a formula-like value (ours included) is taken off.
 */
export function cleanCell(raw: string | undefined): string | null {
  if (raw === undefined) return null
  let value = raw.trim()
  if (/^'[=+\-@]/.test(value)) value = value.slice(1)
  return value === '' ? null : value
}

const prefix = (entity: string, messages: Record<string, string>) =>
  Object.values(messages).map((m) => `${entity === 'company' ? 'Company' : 'Contact'}: ${m}`)

/**
 * Checks every row with the same field rules as the forms and the server (`checkRecord`), and decides which rows
 * create a company and which link to one: a contact goes under the company named in its row, found on the device
 * or created by the import (decision 019). Nothing is written here; a row with an error is reported, not imported.
 *
 * @param existing lower-cased company name → a company already on this device
 */
export function planImport(
  rows: readonly string[][],
  mapping: readonly ImportTarget[],
  existing: ReadonlySet<string>,
): ImportPlan {
  const plan: ImportPlan = {
    rows: [],
    errors: [],
    blank: 0,
    newCompanies: 0,
    existingCompanies: 0,
    newContacts: 0,
  }
  const mapsContact = mapping.some((t) => t?.entity === 'contact')
  const created = new Set<string>()
  const linked = new Set<string>()
  rows.forEach((cells, index) => {
    const line = index + 2
    const company: Fields = {}
    const contact: Fields = {}
    let anything = false
    mapping.forEach((target, column) => {
      if (!target) return
      const value = cleanCell(cells[column])
      if (value !== null) anything = true
      ;(target.entity === 'company' ? company : contact)[target.field] = value
    })
    if (!anything) {
      plan.blank++
      return
    }
    const messages: string[] = []
    const companyName = company.name ?? null
    const hasContact = mapsContact && Object.values(contact).some((v) => v !== null)
    if (companyName === null) {
      messages.push(
        hasContact
          ? 'Company: Name is required (every contact belongs to a company)'
          : 'Company: Name is required',
      )
    }
    const key = companyName === null ? '' : companyKey(companyName)
    const isNew = companyName !== null && !existing.has(key) && !created.has(key)
    // Only the row that creates a company is held to its rules; other rows naming it just link to it.
    if (isNew) {
      messages.push(...prefix('company', checkRecord(parent, company)))
    } else if (companyName !== null) {
      const nameError = checkRecord(parent, { name: companyName }).name
      if (nameError) messages.push(`Company: ${nameError}`)
    }
    if (hasContact) messages.push(...prefix('contact', checkRecord(child, contact)))
    if (messages.length > 0) {
      plan.errors.push({ line, messages })
      return
    }
    if (isNew) {
      created.add(key)
      plan.newCompanies++
    } else if (!created.has(key) && !linked.has(key)) {
      linked.add(key)
      plan.existingCompanies++
    }
    if (hasContact) plan.newContacts++
    plan.rows.push({
      line,
      companyKey: key,
      newCompany: isNew ? company : null,
      contact: hasContact ? contact : null,
    })
  })
  return plan
}

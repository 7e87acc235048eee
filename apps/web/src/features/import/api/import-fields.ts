import { companiesContacts } from '@offline-sync/sync-protocol'

const { parent, child } = companiesContacts

/** A column goes to one declared field of a company or of a contact, or is left out. */
export type ImportTarget =
  | { entity: 'company'; field: keyof typeof parent.fields & string }
  | { entity: 'contact'; field: keyof typeof child.fields & string }
  | null

/** Every target a column can be mapped to, in the order the picker lists them, with a stable key each. */
export const importTargets: { key: string; label: string; target: Exclude<ImportTarget, null> }[] = [
  ...Object.entries(parent.fields).map(([field, spec]) => ({
    key: `company.${field}`,
    label: `Company: ${spec.label}`,
    target: { entity: 'company', field } as Exclude<ImportTarget, null>,
  })),
  ...Object.entries(child.fields).map(([field, spec]) => ({
    key: `contact.${field}`,
    label: `Contact: ${spec.label}`,
    target: { entity: 'contact', field } as Exclude<ImportTarget, null>,
  })),
]

export const targetKey = (target: ImportTarget): string =>
  target === null ? '' : `${target.entity}.${target.field}`

export const targetOfKey = (key: string): ImportTarget =>
  importTargets.find((t) => t.key === key)?.target ?? null

const words = (header: string) =>
  header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

const COMPANY_NAME =
  /^(company|company name|organi[sz]ation|organi[sz]ation name|org|business|employer|account name)$/
const CONTACT_NAME = /^(contact|contact name|full name|person|name of contact|first and last name)$/
const JOB_TITLE = /^(job title|title|position|role|job)$/
const EMAIL = /^(e ?mail|e ?mail address|mail)$/
const PHONE = /^(phone|phone number|telephone|tel|mobile|cell|mobile phone)$/
const ADDRESS = /^(address|street address|postal address|company address)$/
const WEBSITE = /^(website|web site|web|url|homepage|site|company website)$/

/**
 * Guesses a target for each column from its heading. A bare "Name" is the contact's name when another column is the
 * company (a contacts sheet), else the company's (a companies sheet); "Email" and "Phone" likewise go to the contact
 * when the sheet has contact names. So the app's own two exports read back with no change to the mapping.
 */
export function guessMapping(headers: readonly string[]): ImportTarget[] {
  const normal = headers.map(words)
  const hasCompanyColumn = normal.some((h) => COMPANY_NAME.test(h))
  const hasContactName = hasCompanyColumn
    ? normal.some((h) => h === 'name' || CONTACT_NAME.test(h))
    : normal.some((h) => CONTACT_NAME.test(h))
  const owner = hasContactName ? 'contact' : 'company'
  const taken = new Set<string>()
  return normal.map((h) => {
    let target: ImportTarget = null
    if (COMPANY_NAME.test(h)) target = { entity: 'company', field: 'name' }
    else if (CONTACT_NAME.test(h)) target = { entity: 'contact', field: 'name' }
    else if (h === 'name') target = { entity: hasCompanyColumn ? 'contact' : 'company', field: 'name' }
    else if (JOB_TITLE.test(h)) target = { entity: 'contact', field: 'jobTitle' }
    else if (/^company (e ?mail|phone|telephone)$/.test(h))
      target = { entity: 'company', field: h.endsWith('mail') ? 'email' : 'phone' }
    else if (EMAIL.test(h)) target = { entity: owner, field: 'email' }
    else if (PHONE.test(h)) target = { entity: owner, field: 'phone' }
    else if (ADDRESS.test(h)) target = { entity: 'company', field: 'address' }
    else if (WEBSITE.test(h)) target = { entity: 'company', field: 'website' }
    // Two columns for one field would make one of them win silently: the second is left out for a person to map.
    const key = targetKey(target)
    if (target && taken.has(key)) return null
    taken.add(key)
    return target
  })
}

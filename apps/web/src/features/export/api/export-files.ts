import { db } from '../../../lib/db.ts'
import { companiesCsv, contactsCsv } from './csv-export.ts'
import { downloadFile, fileSlug } from './download-file.ts'
import { readExportData, type ExportContact } from './read-export-data.ts'
import { writeVCard, writeVCards, type VCardContact } from './vcard.ts'

const CSV = 'text/csv;charset=utf-8'
const VCARD = 'text/vcard;charset=utf-8'

/** Today as YYYY-MM-DD in the phone's own time zone, for file names that sort by date. */
function today(): string {
  const now = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

const card = (c: ExportContact): VCardContact => c

/** Every company on this phone as a CSV download. Resolves to the number of rows. */
export async function exportCompaniesCsv(): Promise<number> {
  const { companies } = await readExportData(db)
  downloadFile(`companies-${today()}.csv`, companiesCsv(companies), CSV)
  return companies.length
}

/** Every contact, with its company's name, as a CSV download. */
export async function exportContactsCsv(): Promise<number> {
  const { contacts } = await readExportData(db)
  downloadFile(`contacts-${today()}.csv`, contactsCsv(contacts), CSV)
  return contacts.length
}

/** Every contact as one .vcf file of cards. */
export async function exportAllVCards(): Promise<number> {
  const { contacts } = await readExportData(db)
  downloadFile(`contacts-${today()}.vcf`, writeVCards(contacts.map(card)), VCARD)
  return contacts.length
}

/** One company's contacts as one .vcf file. */
export async function exportCompanyVCards(company: { id: number; name: string | null }): Promise<number> {
  const { contacts } = await readExportData(db, { companyId: company.id })
  downloadFile(`${fileSlug(company.name ?? '')}-contacts.vcf`, writeVCards(contacts.map(card)), VCARD)
  return contacts.length
}

/** One contact as a .vcf file (opening it on a phone offers "add to contacts"). */
export async function exportContactVCard(contact: { uid: string; companyId: number }): Promise<void> {
  const { contacts } = await readExportData(db, { companyId: contact.companyId })
  const found = contacts.find((c) => c.uid === contact.uid)
  if (!found) throw new Error('This contact is no longer on this phone.')
  downloadFile(`${fileSlug(found.name)}.vcf`, writeVCard(card(found)), VCARD)
}

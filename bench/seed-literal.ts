/**
 * Contender (a): the seed's ServerDataSync taken literally — one Prisma client call per record, in the order the
 * flowcharts iterate (read-write-data-one-to-many.md), inside one interactive `prisma.$transaction`:
 *
 *   SyncCompanies: create each added company (building the dictionary local id → server id), update each
 *                  modified one, delete each deleted one, then retrieve all companies;
 *   remap:         point each added contact at its company's new server id through the dictionary;
 *   SyncContacts:  create each added contact, update each modified one, delete each deleted one, then retrieve
 *                  all contacts.
 *
 * No receipts, tombstones or rejections: the seed has none, so this contender does strictly less work than ours.
 * `uid` and `version` are required columns of our schema and get values; everything else is the seed's logic.
 */
import type { PrismaClient } from '@offline-sync/db'
import type { WireRequest } from './workload.ts'

/** The sync's version stamp; the seed has no change cursor, but the column is required. */
const VERSION = 2n

export interface LiteralResult {
  companyIdMap: Map<number, number>
  companies: number
  contacts: number
}

export async function seedLiteralSync(prisma: PrismaClient, request: WireRequest): Promise<LiteralResult> {
  return prisma.$transaction(
    async (tx) => {
      // --- SyncCompanies
      const dictionary = new Map<number, number>()
      for (const company of request.companies.added) {
        const created = await tx.company.create({
          data: {
            uid: company.uid,
            name: company.name ?? '',
            address: company.address,
            phone: company.phone,
            email: company.email,
            website: company.website,
            version: VERSION,
          },
        })
        dictionary.set(company.id, created.id)
      }
      for (const company of request.companies.modified) {
        await tx.company.update({
          where: { id: company.id },
          data: {
            name: company.name ?? '',
            address: company.address,
            phone: company.phone,
            email: company.email,
            website: company.website,
            version: VERSION,
          },
        })
      }
      for (const company of request.companies.deleted) {
        await tx.company.delete({ where: { id: company.id } })
      }
      const companies = await tx.company.findMany()

      // --- ServerDataSync step 2: remap the added contacts' company ids through the dictionary.
      const addedContacts = request.contacts.added.map((contact) => ({
        ...contact,
        companyId:
          contact.companyId < 0
            ? (dictionary.get(contact.companyId) ?? contact.companyId)
            : contact.companyId,
      }))

      // --- SyncContacts
      for (const contact of addedContacts) {
        await tx.contact.create({
          data: {
            uid: contact.uid,
            companyId: contact.companyId,
            name: contact.name ?? '',
            jobTitle: contact.jobTitle,
            email: contact.email,
            phone: contact.phone,
            version: VERSION,
          },
        })
      }
      for (const contact of request.contacts.modified) {
        await tx.contact.update({
          where: { id: contact.id },
          data: {
            companyId: contact.companyId,
            name: contact.name ?? '',
            jobTitle: contact.jobTitle,
            email: contact.email,
            phone: contact.phone,
            version: VERSION,
          },
        })
      }
      for (const contact of request.contacts.deleted) {
        await tx.contact.delete({ where: { id: contact.id } })
      }
      const contacts = await tx.contact.findMany()

      return { companyIdMap: dictionary, companies: companies.length, contacts: contacts.length }
    },
    // Thousands of round trips: far beyond Prisma's default 5 s transaction timeout.
    { maxWait: 60_000, timeout: 30 * 60_000 },
  )
}

/**
 * Contender (b), the floor: the same changes as hand-written SQL in one transaction, one statement per list —
 * `unnest` of typed arrays for the inserts and updates, `= ANY(array)` for the deletes — and the same read back
 * of every row. It knows the Company/Contact tables by heart, takes no lock, checks no uid, writes no receipt
 * or tombstone and rejects nothing: it is what the database itself costs for these rows.
 * It runs through the same `SqlDatabase` port (the same Prisma driver adapter) as our engine, so the ratio
 * measures the engine's SQL and bookkeeping, not a difference in drivers.
 */
import type { SqlDatabase } from '@offline-sync/sync-server'
import type { WireRequest } from './workload.ts'

const VERSION = '2'

const column = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((row) => row[key])

export interface FloorResult {
  companyIdMap: Map<number, number>
  companies: number
  contacts: number
}

export async function sqlFloorSync(db: SqlDatabase, request: WireRequest): Promise<FloorResult> {
  return db.transaction(async (tx) => {
    const { companies, contacts } = request
    const dictionary = new Map<number, number>()

    if (companies.added.length > 0) {
      const rows = await tx.query<{ id: number; uid: string }>(
        'INSERT INTO "Company" (uid, name, address, phone, email, website, version) ' +
          'SELECT uid, name, address, phone, email, website, $7::bigint ' +
          'FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) ' +
          'AS x(uid, name, address, phone, email, website) RETURNING id, uid::text AS uid',
        [
          column(companies.added, 'uid'),
          column(companies.added, 'name'),
          column(companies.added, 'address'),
          column(companies.added, 'phone'),
          column(companies.added, 'email'),
          column(companies.added, 'website'),
          VERSION,
        ],
      )
      const idByUid = new Map(rows.map((row) => [row.uid, row.id]))
      for (const company of companies.added) dictionary.set(company.id, idByUid.get(company.uid) as number)
    }
    if (companies.modified.length > 0) {
      await tx.query(
        // Version-2 modifies carry only the fields changed (rule M1): one not carried keeps its value. (The
        // workload never writes an explicit null, so COALESCE is the same work as the engine's merge.)
        'UPDATE "Company" AS t SET name = COALESCE(x.name, t.name), address = COALESCE(x.address, t.address), ' +
          'phone = COALESCE(x.phone, t.phone), email = COALESCE(x.email, t.email), ' +
          'website = COALESCE(x.website, t.website), "updatedAt" = now(), version = $7::bigint ' +
          'FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) ' +
          'AS x(id, name, address, phone, email, website) WHERE t.id = x.id',
        [
          column(companies.modified, 'id'),
          column(companies.modified, 'name'),
          column(companies.modified, 'address'),
          column(companies.modified, 'phone'),
          column(companies.modified, 'email'),
          column(companies.modified, 'website'),
          VERSION,
        ],
      )
    }
    if (companies.deleted.length > 0) {
      // The foreign key's ON DELETE CASCADE removes their contacts.
      await tx.query('DELETE FROM "Company" WHERE id = ANY($1::int[])', [column(companies.deleted, 'id')])
    }

    const remapped = contacts.added.map((c) =>
      c.companyId < 0 ? (dictionary.get(c.companyId) as number) : c.companyId,
    )
    if (contacts.added.length > 0) {
      await tx.query(
        'INSERT INTO "Contact" (uid, "companyId", name, "jobTitle", email, phone, version) ' +
          'SELECT uid, "companyId", name, "jobTitle", email, phone, $7::bigint ' +
          'FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) ' +
          'AS x(uid, "companyId", name, "jobTitle", email, phone) RETURNING id',
        [
          column(contacts.added, 'uid'),
          remapped,
          column(contacts.added, 'name'),
          column(contacts.added, 'jobTitle'),
          column(contacts.added, 'email'),
          column(contacts.added, 'phone'),
          VERSION,
        ],
      )
    }
    if (contacts.modified.length > 0) {
      await tx.query(
        'UPDATE "Contact" AS t SET "companyId" = COALESCE(x."companyId", t."companyId"), ' +
          'name = COALESCE(x.name, t.name), "jobTitle" = COALESCE(x."jobTitle", t."jobTitle"), ' +
          'email = COALESCE(x.email, t.email), phone = COALESCE(x.phone, t.phone), "updatedAt" = now(), ' +
          'version = $7::bigint ' +
          'FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) ' +
          'AS x(id, "companyId", name, "jobTitle", email, phone) WHERE t.id = x.id',
        [
          column(contacts.modified, 'id'),
          column(contacts.modified, 'companyId'),
          column(contacts.modified, 'name'),
          column(contacts.modified, 'jobTitle'),
          column(contacts.modified, 'email'),
          column(contacts.modified, 'phone'),
          VERSION,
        ],
      )
    }
    if (contacts.deleted.length > 0) {
      await tx.query('DELETE FROM "Contact" WHERE id = ANY($1::int[])', [column(contacts.deleted, 'id')])
    }

    // The response holds every row, as in the seed and in our full mode.
    const allCompanies = await tx.query(
      'SELECT id, uid, name, address, phone, email, website, "createdAt", "updatedAt", version FROM "Company" ORDER BY id',
    )
    const allContacts = await tx.query(
      'SELECT id, uid, "companyId", name, "jobTitle", email, phone, "createdAt", "updatedAt", version FROM "Contact" ORDER BY id',
    )
    return { companyIdMap: dictionary, companies: allCompanies.length, contacts: allContacts.length }
  })
}

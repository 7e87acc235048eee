import type { LocalDatabase } from '@offline-sync/sync-client'

export interface ExportCompany {
  uid: string
  id: number
  name: string
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
}

export interface ExportContact {
  uid: string
  name: string
  jobTitle: string | null
  email: string | null
  phone: string | null
  companyId: number
  companyName: string | null
  companyAddress: string | null
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

/**
 * What the device holds now, active records only (local adds and edits included, deletes left out), companies and
 * contacts in name order. Reads the `_sort` index, which lists active records only. Works offline: it is all local.
 */
export async function readExportData(
  db: LocalDatabase,
  opts: { companyId?: number } = {},
): Promise<{ companies: ExportCompany[]; contacts: ExportContact[] }> {
  return db.transaction('r', [db.parents, db.children], async () => {
    const parents = await db.parents.orderBy('_sort').toArray()
    const companies: ExportCompany[] = parents.map((p) => ({
      uid: p.uid,
      id: p.id,
      name: text(p.name) ?? '',
      address: text(p.address),
      phone: text(p.phone),
      email: text(p.email),
      website: text(p.website),
    }))
    const byId = new Map(companies.map((c) => [c.id, c]))
    const children =
      opts.companyId === undefined
        ? await db.children.orderBy('_sort').toArray()
        : (await db.children.where('companyId').equals(opts.companyId).toArray())
            .filter((c) => c.isActive)
            .sort((a, b) => (a._sort ?? '').localeCompare(b._sort ?? ''))
    const contacts: ExportContact[] = children.map((c) => {
      const companyId = c.companyId as number
      const company = byId.get(companyId)
      return {
        uid: c.uid,
        name: text(c.name) ?? '',
        jobTitle: text(c.jobTitle),
        email: text(c.email),
        phone: text(c.phone),
        companyId,
        companyName: company?.name ?? null,
        companyAddress: company?.address ?? null,
      }
    })
    return { companies, contacts }
  })
}

import { createLocalSearch, type ChildOrder, type ParentOrder } from '@offline-sync/sync-client'
import { db, spec, type LocalCompany, type LocalContact } from './db.ts'

export type { ChildOrder as ContactOrder, ParentOrder as CompanyOrder }

const raw = createLocalSearch(db, spec)

/** One search's results: companies and contacts (each at most the limit, by name), and each contact's company. */
export interface FoundRecords {
  companies: LocalCompany[]
  moreCompanies: boolean
  contacts: LocalContact[]
  moreContacts: boolean
  companyOf: Map<number, LocalCompany>
}

/**
 * The search index of the device (client engine, search-records.ts), typed for Company/Contact. Read-only: safe
 * in useLiveQuery, so results follow local writes and syncs.
 */
export const search = {
  /** Every word of `query` must start a word of the name, e-mail, phone (digits), job title or address. */
  find: async (query: string, limit: number): Promise<FoundRecords> => {
    const found = await raw.search(query, { limit })
    return {
      companies: found.parents.records as LocalCompany[],
      moreCompanies: found.parents.more,
      contacts: found.children.records as LocalContact[],
      moreContacts: found.children.more,
      companyOf: found.parentsById as Map<number, LocalCompany>,
    }
  },
  companies: (order: ParentOrder, limit: number) =>
    raw.listParents(order, { limit }) as Promise<LocalCompany[]>,
  contacts: (order: ChildOrder, limit: number) =>
    raw.listChildren(order, { limit }) as Promise<LocalContact[]>,
  countContacts: () => raw.countChildren(),
  companiesOf: (contacts: readonly LocalContact[]) =>
    raw.parentsOf(contacts) as Promise<Map<number, LocalCompany>>,
}

import { useLiveQuery } from 'dexie-react-hooks'
import { search, type ContactOrder } from '../../../lib/search.ts'
import type { LocalCompany, LocalContact } from '../../../lib/db.ts'

/** Rows fetched per "Show more", as on the companies list. */
export const PEOPLE_PAGE_SIZE = 50

export type { ContactOrder }

export interface People {
  contacts: LocalContact[]
  companyOf: Map<number, LocalCompany>
}

/** The first `limit` contacts in this order with their companies, and how many there are; live. */
export function usePeople(order: ContactOrder, limit: number) {
  const people = useLiveQuery(async (): Promise<People> => {
    const contacts = await search.contacts(order, limit)
    return { contacts, companyOf: await search.companiesOf(contacts) }
  }, [order, limit])
  const total = useLiveQuery(() => search.countContacts(), [])
  return { people, total }
}

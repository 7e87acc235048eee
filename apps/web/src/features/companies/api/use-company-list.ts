import { useLiveQuery } from 'dexie-react-hooks'
import { queries } from '../../../lib/db.ts'
import { search, type CompanyOrder } from '../../../lib/search.ts'

/** Rows fetched per "Show more": keeps the list instant with tens of thousands of companies. */
export const COMPANY_PAGE_SIZE = 50

export type { CompanyOrder }

/**
 * The first `limit` companies in this order (by name, or most recently changed first), and how many there are.
 * Live: updates when local writes or a sync change the table. Both are undefined while loading.
 */
export function useCompanyList(order: CompanyOrder, limit: number) {
  const companies = useLiveQuery(() => search.companies(order, limit), [order, limit])
  const total = useLiveQuery(() => queries.countParents({}), [])
  return { companies, total }
}

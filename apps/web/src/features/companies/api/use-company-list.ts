import { useDeferredValue, useMemo } from 'react'
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
  const list = useMemo(() => ({ companies, total }), [companies, total])
  // A live query's answer arrives as an ordinary update, which React renders in one go: with a page of rows that is
  // one long task on a slow phone, on every load and after every sync. Deferred, the rows render in a transition,
  // in slices of a few ms with the main thread free in between.
  return useDeferredValue(list)
}

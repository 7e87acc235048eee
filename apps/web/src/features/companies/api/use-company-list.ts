import { useLiveQuery } from 'dexie-react-hooks'
import { queries } from '../../../lib/db.ts'

/** Rows fetched per "Show more": keeps the list instant with tens of thousands of companies. */
export const COMPANY_PAGE_SIZE = 50

/**
 * The first `limit` companies whose name starts with `search` (any case), and how many match in total.
 * Live: updates when local writes or a sync change the table. Both are undefined while loading.
 */
export function useCompanyList(search: string, limit: number) {
  const companies = useLiveQuery(() => queries.listParents({ search, offset: 0, limit }), [search, limit])
  const total = useLiveQuery(() => queries.countParents({ search }), [search])
  return { companies, total }
}

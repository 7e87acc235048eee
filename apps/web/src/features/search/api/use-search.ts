import { useLiveQuery } from 'dexie-react-hooks'
import { search, type FoundRecords } from '../../../lib/search.ts'

/** Results shown per group: a phone screen holds about this many, and more words narrow them. */
export const SEARCH_LIMIT = 50

/** The one search, live (it follows local writes and syncs). undefined while loading or for an empty query. */
export function useSearch(query: string): FoundRecords | undefined {
  return useLiveQuery(() => (query.trim() === '' ? undefined : search.find(query, SEARCH_LIMIT)), [query])
}

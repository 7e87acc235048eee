import { useSearch } from '../api/use-search.ts'
import { SearchResults } from './search-results.tsx'

/** The live results of a query: what a screen with a search box shows while something is typed. */
export function SearchView({ query }: { query: string }) {
  const found = useSearch(query)
  return <SearchResults query={query} found={found} />
}

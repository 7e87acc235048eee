import { useDeferredValue, useEffect, useRef, useState } from 'react'
import { usePath } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { SearchField } from './search-field.tsx'
import { SearchView } from './search-view.tsx'

/** The search screen (the install sheet's "Search" shortcut opens it): the field, focused, and the results. */
export function SearchPage() {
  useDocumentTitle('Search')
  const path = usePath()
  const [query, setQuery] = useState(() => new URLSearchParams(path.split('?')[1] ?? '').get('q') ?? '')
  // Typing stays responsive while a search runs: React renders the results for the last settled value.
  const deferred = useDeferredValue(query.trim())
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  useEffect(() => {
    const url = deferred ? `${paths.search()}?q=${encodeURIComponent(deferred)}` : paths.search()
    if (window.location.pathname === paths.search()) {
      window.history.replaceState(window.history.state, '', url)
    }
  }, [deferred])
  return (
    <>
      <h1>Search</h1>
      <SearchField value={query} onChange={setQuery} inputRef={input} />
      {deferred ? <SearchView query={deferred} /> : null}
    </>
  )
}

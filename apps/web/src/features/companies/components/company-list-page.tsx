import { useEffect, useState } from 'react'
import { Link, usePath } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts'
import { COMPANY_PAGE_SIZE, useCompanyList } from '../api/use-company-list.ts'
import { CompanyRow } from './company-row.tsx'

const numbers = new Intl.NumberFormat('en')

function searchFromUrl(path: string): string {
  return new URLSearchParams(path.split('?')[1] ?? '').get('q') ?? ''
}

/** The home screen: search, the companies on this device (paged), and the way to add one. */
export function CompanyListPage() {
  useDocumentTitle(null)
  const path = usePath()
  const [search, setSearch] = useState(() => searchFromUrl(path))
  const [limit, setLimit] = useState(COMPANY_PAGE_SIZE)
  // A search is an index range (names starting with it), cheap at 10k; waiting for a pause in typing still
  // saves a live-query re-run per keystroke.
  const deferredSearch = useDebouncedValue(search.trim(), 200)
  const { companies, total } = useCompanyList(deferredSearch, limit)

  // Keep the search in the URL (without a history entry per keystroke) so Back from a company returns to it.
  useEffect(() => {
    const url = deferredSearch ? `/?q=${encodeURIComponent(deferredSearch)}` : '/'
    if (window.location.pathname === '/' && url !== window.location.pathname + window.location.search) {
      window.history.replaceState(window.history.state, '', url)
    }
  }, [deferredSearch])

  const loading = companies === undefined || total === undefined
  const shown = companies?.length ?? 0

  return (
    <>
      <div className="page-heading">
        <h1>Companies</h1>
        <Link className="button button--primary" to={paths.newCompany()} data-testid="add-company">
          Add company
        </Link>
      </div>
      <form className="search" role="search" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="company-search" className="field__label">
          Search companies by name
        </label>
        <input
          id="company-search"
          type="search"
          value={search}
          autoComplete="off"
          enterKeyHint="search"
          onChange={(event) => {
            setSearch(event.target.value)
            setLimit(COMPANY_PAGE_SIZE)
          }}
          data-testid="company-search"
        />
      </form>
      <p className="list-summary" data-testid="company-count" aria-live="polite">
        {loading
          ? 'Loading…'
          : total === 0
            ? deferredSearch
              ? `No company matches “${deferredSearch}”.`
              : 'No companies yet.'
            : shown < total
              ? `Showing ${numbers.format(shown)} of ${numbers.format(total)} companies`
              : `${numbers.format(total)} ${total === 1 ? 'company' : 'companies'}`}
      </p>
      {companies && companies.length > 0 ? (
        <ul className="list" data-testid="company-list">
          {companies.map((company) => (
            <CompanyRow key={company.uid} company={company} />
          ))}
        </ul>
      ) : null}
      {!loading && shown < total ? (
        <button
          type="button"
          className="button button--wide"
          onClick={() => setLimit((current) => current + COMPANY_PAGE_SIZE)}
          data-testid="show-more"
        >
          Show more
        </button>
      ) : null}
    </>
  )
}

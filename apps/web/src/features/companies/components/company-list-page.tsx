import { useDeferredValue, useEffect, useState, type ReactNode } from 'react'
import { Link, usePath } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import { COMPANY_PAGE_SIZE, useCompanyList, type CompanyOrder } from '../api/use-company-list.ts'
import { CompanyRow } from './company-row.tsx'

function paramsOf(path: string): URLSearchParams {
  return new URLSearchParams(path.split('?')[1] ?? '')
}

/**
 * The home screen: the one search over companies and contacts, the companies on this device (sorted, paged), and
 * the way to add one. `searchResults` renders what a query finds (the search feature, composed in routes.tsx).
 */
export function CompanyListPage({ searchResults }: { searchResults: (query: string) => ReactNode }) {
  useDocumentTitle(null)
  const path = usePath()
  const [search, setSearch] = useState(() => paramsOf(path).get('q') ?? '')
  const [order, setOrder] = useState<CompanyOrder>(() =>
    paramsOf(path).get('sort') === 'recent' ? 'recent' : 'name',
  )
  const [limit, setLimit] = useState(COMPANY_PAGE_SIZE)
  // A search is an index range (client engine, search-records.ts) that answers well within a keystroke at 110k
  // records: no debounce; React renders results for the last settled value while typing goes on.
  const deferredSearch = useDeferredValue(search.trim())
  const { companies, total } = useCompanyList(order, limit)

  // Keep the search and the order in the URL (without a history entry per keystroke) so Back returns to them.
  useEffect(() => {
    const params = new URLSearchParams()
    if (deferredSearch) params.set('q', deferredSearch)
    if (order === 'recent') params.set('sort', 'recent')
    const url = params.size > 0 ? `/?${params.toString()}` : '/'
    if (window.location.pathname === '/' && url !== window.location.pathname + window.location.search) {
      window.history.replaceState(window.history.state, '', url)
    }
  }, [deferredSearch, order])

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
          Search companies and contacts
        </label>
        <input
          id="company-search"
          type="search"
          value={search}
          autoComplete="off"
          enterKeyHint="search"
          aria-describedby="company-search-hint"
          onChange={(event) => {
            setSearch(event.target.value)
            setLimit(COMPANY_PAGE_SIZE)
          }}
          data-testid="company-search"
        />
        <span id="company-search-hint" className="field__hint">
          Any word of a name, e-mail, job title or address; a phone number’s digits.
        </span>
      </form>
      {deferredSearch ? (
        searchResults(deferredSearch)
      ) : (
        <CompanyList
          order={order}
          onOrder={(next) => {
            setOrder(next)
            setLimit(COMPANY_PAGE_SIZE)
          }}
          companies={companies}
          total={total}
          onMore={() => setLimit((current) => current + COMPANY_PAGE_SIZE)}
        />
      )}
    </>
  )
}

/** The companies in the chosen order, a page at a time. */
function CompanyList({
  order,
  onOrder,
  companies,
  total,
  onMore,
}: {
  order: CompanyOrder
  onOrder: (order: CompanyOrder) => void
  companies: ReturnType<typeof useCompanyList>['companies']
  total: number | undefined
  onMore: () => void
}) {
  const loading = companies === undefined || total === undefined
  const shown = companies?.length ?? 0
  return (
    <>
      <div className="list-toolbar">
        <p className="list-summary" data-testid="company-count" aria-live="polite">
          {loading
            ? 'Loading…'
            : total === 0
              ? 'No companies yet.'
              : shown < total
                ? `Showing ${formatNumber(shown)} of ${formatNumber(total)} companies`
                : `${formatNumber(total)} ${total === 1 ? 'company' : 'companies'}`}
        </p>
        <label className="sort-field">
          <span>Sort by</span>
          <select
            value={order}
            onChange={(event) => onOrder(event.target.value === 'recent' ? 'recent' : 'name')}
            data-testid="company-sort"
          >
            <option value="name">Name</option>
            <option value="recent">Recently changed</option>
          </select>
        </label>
      </div>
      {companies && companies.length > 0 ? (
        <ul className="list" data-testid="company-list">
          {companies.map((company) => (
            <CompanyRow key={company.uid} company={company} />
          ))}
        </ul>
      ) : null}
      {!loading && shown < total ? (
        <button type="button" className="button button--wide" onClick={onMore} data-testid="show-more">
          Show more
        </button>
      ) : null}
    </>
  )
}

import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { RecordBadge } from '../../../components/record-badge.tsx'
import { ContactRow } from '../../../components/contact-row.tsx'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import type { FoundRecords } from '../../../lib/search.ts'
import { SEARCH_LIMIT } from '../api/use-search.ts'

function countText(count: number, more: boolean, one: string, many: string): string {
  if (count === 0) return `No ${one} matches.`
  if (more) return `The first ${formatNumber(SEARCH_LIMIT)} ${many}: add a word to narrow the search.`
  return `${formatNumber(count)} ${count === 1 ? one : many}`
}

/** The results of one search in two groups, companies then contacts; each contact names its company. */
export function SearchResults({ query, found }: { query: string; found: FoundRecords | undefined }) {
  if (found === undefined) return <p className="loading">Searching…</p>
  if (found.companies.length === 0 && found.contacts.length === 0) {
    return (
      <p className="list-summary" data-testid="search-summary">
        Nothing matches “{query}”.
      </p>
    )
  }
  return (
    <div data-testid="search-results">
      <section className="section" aria-labelledby="found-companies">
        <h2 id="found-companies">Companies</h2>
        <p className="list-summary" data-testid="found-company-count">
          {countText(found.companies.length, found.moreCompanies, 'company', 'companies')}
        </p>
        {found.companies.length > 0 ? (
          <ul className="list" data-testid="found-companies">
            {found.companies.map((company) => {
              const detail = [company.address, company.phone, company.email].filter(Boolean).join(' · ')
              return (
                <li key={company.uid} className="list-row" data-testid="company-row" data-uid={company.uid}>
                  <Link className="list-row__link" to={paths.company(company.uid)}>
                    <span className="list-row__title" data-testid="company-name">
                      {company.name}
                    </span>
                    {detail ? <span className="list-row__detail">{detail}</span> : null}
                    <RecordBadge record={company} />
                  </Link>
                </li>
              )
            })}
          </ul>
        ) : null}
      </section>
      <section className="section" aria-labelledby="found-contacts">
        <h2 id="found-contacts">Contacts</h2>
        <p className="list-summary" data-testid="found-contact-count">
          {countText(found.contacts.length, found.moreContacts, 'contact', 'contacts')}
        </p>
        {found.contacts.length > 0 ? (
          <ul className="list" data-testid="found-contacts">
            {found.contacts.map((contact) => (
              <ContactRow
                key={contact.uid}
                contact={contact}
                companyName={found.companyOf.get(contact.companyId)?.name}
              />
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  )
}

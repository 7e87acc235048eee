import { useState } from 'react'
import { usePath } from '../../../lib/router/index.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import { ContactRow } from '../../../components/contact-row.tsx'
import { PEOPLE_PAGE_SIZE, usePeople, type ContactOrder } from '../api/use-people.ts'

/** Every contact on the device, across companies, by name or by company; a page at a time. */
export function PeoplePage() {
  useDocumentTitle('People')
  const path = usePath()
  const [order, setOrder] = useState<ContactOrder>(() =>
    new URLSearchParams(path.split('?')[1] ?? '').get('sort') === 'company' ? 'parent' : 'name',
  )
  const [limit, setLimit] = useState(PEOPLE_PAGE_SIZE)
  const { people, total } = usePeople(order, limit)
  const loading = people === undefined || total === undefined
  const shown = people?.contacts.length ?? 0

  const choose = (next: ContactOrder) => {
    setOrder(next)
    setLimit(PEOPLE_PAGE_SIZE)
    // In the URL, without a history entry, so Back from a contact returns to the same order.
    window.history.replaceState(
      window.history.state,
      '',
      next === 'parent' ? '/people?sort=company' : '/people',
    )
  }

  return (
    <>
      <h1>People</h1>
      <div className="list-toolbar">
        <p className="list-summary" data-testid="people-count" aria-live="polite">
          {loading
            ? 'Loading…'
            : total === 0
              ? 'No contacts yet: add them from a company’s page.'
              : shown < total
                ? `Showing ${formatNumber(shown)} of ${formatNumber(total)} contacts`
                : `${formatNumber(total)} ${total === 1 ? 'contact' : 'contacts'}`}
        </p>
        <label className="sort-field">
          <span>Sort by</span>
          <select
            value={order}
            onChange={(event) => choose(event.target.value === 'parent' ? 'parent' : 'name')}
            data-testid="people-sort"
          >
            <option value="name">Name</option>
            <option value="parent">Company</option>
          </select>
        </label>
      </div>
      {people && people.contacts.length > 0 ? (
        <ul className="list" data-testid="people-list">
          {people.contacts.map((contact) => (
            <ContactRow
              key={contact.uid}
              contact={contact}
              companyName={people.companyOf.get(contact.companyId)?.name}
            />
          ))}
        </ul>
      ) : null}
      {!loading && shown < total ? (
        <button
          type="button"
          className="button button--wide"
          onClick={() => setLimit((current) => current + PEOPLE_PAGE_SIZE)}
          data-testid="people-show-more"
        >
          Show more
        </button>
      ) : null}
    </>
  )
}

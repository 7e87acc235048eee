import type { ReactNode } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import { paths } from '../../../config/paths.ts'
import type { LocalCompany, LocalContact } from '../../../lib/db.ts'
import { RecordBadge } from '../../../components/record-badge.tsx'
import { RecordIssue } from '../../../components/record-issue.tsx'
import { useContacts } from '../api/use-contacts.ts'
import { discardContactChange } from '../api/contact-writes.ts'

export interface ContactListProps {
  company: LocalCompany
  /** More actions on each row (the export feature's vCard chip; features do not import each other). */
  contactActions?: (contact: LocalContact) => ReactNode
}

/** A company's contacts with quick call / email actions; each opens its edit page. */
export function ContactList({ company, contactActions }: ContactListProps) {
  const contacts = useContacts(company.id)
  return (
    <section className="section" aria-labelledby="contacts-heading">
      <div className="page-heading">
        <h2 id="contacts-heading">
          Contacts
          {contacts && contacts.length > 0 ? (
            <span className="count"> ({formatNumber(contacts.length)})</span>
          ) : null}
        </h2>
        {/* A company deleted elsewhere (kept here for the contacts under it) cannot take new ones. */}
        {company.isActive && company.syncError?.code !== 'not_found' ? (
          <Link
            className="button button--primary"
            to={paths.newContact(company.uid)}
            data-testid="add-contact"
          >
            Add contact
          </Link>
        ) : null}
      </div>
      {contacts === undefined ? <p className="loading">Loading…</p> : null}
      {contacts?.length === 0 ? <p className="list-summary">No contacts yet.</p> : null}
      {contacts && contacts.length > 0 ? (
        <ul className="list" data-testid="contact-list">
          {contacts.map((contact) => (
            <li key={contact.uid} className="list-row" data-testid="contact-row" data-uid={contact.uid}>
              <Link className="list-row__link" to={paths.editContact(contact.uid)}>
                <span className="list-row__title" data-testid="contact-name">
                  {contact.name}
                </span>
                {contact.jobTitle ? <span className="list-row__detail">{contact.jobTitle}</span> : null}
                <RecordBadge record={contact} brief />
              </Link>
              {contact.phone || contact.email || contactActions ? (
                <div className="list-row__actions">
                  {contact.phone ? (
                    <a className="chip" href={`tel:${contact.phone}`}>
                      Call <span className="visually-hidden">{contact.name}</span>
                      <span className="chip__detail">{contact.phone}</span>
                    </a>
                  ) : null}
                  {contact.email ? (
                    <a className="chip" href={`mailto:${contact.email}`}>
                      Email <span className="visually-hidden">{contact.name}</span>
                      <span className="chip__detail">{contact.email}</span>
                    </a>
                  ) : null}
                  {contactActions?.(contact)}
                </div>
              ) : null}
              <RecordIssue
                record={contact}
                noun="contact"
                parentName={company.name}
                fixPath={paths.editContact(contact.uid)}
                onDiscard={() => discardContactChange(contact.uid)}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}

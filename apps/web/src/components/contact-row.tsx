import { Link } from '../lib/router/index.ts'
import { paths } from '../config/paths.ts'
import type { LocalContact } from '../lib/db.ts'
import { RecordBadge } from './record-badge.tsx'

/** A contact in a list across companies (People, search results): its name, its company, its details. */
export function ContactRow({
  contact,
  companyName,
}: {
  contact: LocalContact
  companyName: string | null | undefined
}) {
  const detail = [contact.jobTitle, contact.email, contact.phone].filter(Boolean).join(' · ')
  return (
    <li className="list-row" data-testid="person-row" data-uid={contact.uid}>
      <Link className="list-row__link" to={paths.editContact(contact.uid)}>
        <span className="list-row__title" data-testid="person-name">
          {contact.name}
        </span>
        <span className="list-row__detail" data-testid="person-company">
          {companyName ?? 'Its company is not on this device'}
        </span>
        {detail ? <span className="list-row__detail">{detail}</span> : null}
        <RecordBadge record={contact} brief />
      </Link>
    </li>
  )
}

import { useState, type ReactNode } from 'react'
import { Link, leaveTo } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import type { LocalCompany } from '../../../lib/db.ts'
import { RecordBadge } from '../../../components/record-badge.tsx'
import { RecordIssue } from '../../../components/record-issue.tsx'
import { OverwriteNotices } from '../../../components/overwrite-notice.tsx'
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx'
import { NotFound } from '../../../components/not-found.tsx'
import { useCompany, useContactCount } from '../api/use-company.ts'
import { deleteCompany, discardCompanyChange } from '../api/company-writes.ts'

export interface CompanyPageProps {
  uid: string
  /** The company's contacts, rendered by the contacts feature (features do not import each other). */
  contacts: (company: LocalCompany) => ReactNode
  /** Saves the company's contacts as a file (the export feature's button), shown when it has contacts. */
  exportContacts?: (company: LocalCompany) => ReactNode
}

function websiteHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined
}

/** One company: its details, its sync state, edit and delete, and its contacts. */
export function CompanyPage({ uid, contacts, exportContacts }: CompanyPageProps) {
  const company = useCompany(uid)
  const contactCount = useContactCount(company?.id)
  const [confirming, setConfirming] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  useDocumentTitle(company ? company.name : null)

  if (company === undefined) return <p className="loading">Loading…</p>
  if (company === null) {
    return (
      <NotFound title="Company not found">
        <p>It may have been deleted on this phone or by someone else.</p>
      </NotFound>
    )
  }

  async function remove() {
    setConfirming(false)
    try {
      await deleteCompany(uid)
      leaveTo(paths.home())
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err))
    }
  }

  const website = company.website ? websiteHref(company.website) : undefined
  // Deleted on the server by another device: editing or deleting it here cannot work (the server no longer has
  // it); re-create, move or discard are offered instead (RecordIssue, the attention page).
  const deletedElsewhere = company.syncError?.code === 'not_found'
  return (
    <article data-testid="company-page" data-uid={company.uid} data-id={company.id}>
      <Link className="back-link" to={paths.home()}>
        <span aria-hidden="true">‹</span>All companies
      </Link>
      <h1 data-testid="company-title">{company.name}</h1>
      <RecordBadge record={company} brief />
      <RecordIssue
        record={company}
        noun="company"
        fixPath={paths.editCompany(uid)}
        onDiscard={() => discardCompanyChange(uid)}
      />
      <OverwriteNotices uid={uid} />
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
      <dl className="details">
        {company.address ? (
          <div>
            <dt>Address</dt>
            <dd className="pre-line">{company.address}</dd>
          </div>
        ) : null}
        {company.phone ? (
          <div>
            <dt>Phone</dt>
            <dd>
              <a href={`tel:${company.phone}`}>{company.phone}</a>
            </dd>
          </div>
        ) : null}
        {company.email ? (
          <div>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${company.email}`}>{company.email}</a>
            </dd>
          </div>
        ) : null}
        {company.website ? (
          <div>
            <dt>Website</dt>
            <dd>
              {website ? (
                <a href={website} target="_blank" rel="noopener noreferrer">
                  {company.website}
                </a>
              ) : (
                company.website
              )}
            </dd>
          </div>
        ) : null}
      </dl>
      {deletedElsewhere ? null : (
        <div className="actions">
          <Link className="button" to={paths.editCompany(uid)} data-testid="edit-company">
            Edit company
          </Link>
          <button
            type="button"
            className="button button--danger"
            onClick={() => setConfirming(true)}
            data-testid="delete-company"
          >
            Delete company
          </button>
        </div>
      )}
      {contacts(company)}
      {contactCount && exportContacts ? <div className="actions">{exportContacts(company)}</div> : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${company.name}?`}
        confirmLabel="Delete company"
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
        testId="confirm-delete"
      >
        <p>
          {contactCount
            ? `Its ${formatNumber(contactCount)} ${contactCount === 1 ? 'contact is' : 'contacts are'} deleted too. `
            : ''}
          The server deletes {contactCount ? 'them' : 'it'} at the next sync.
        </p>
      </ConfirmDialog>
    </article>
  )
}

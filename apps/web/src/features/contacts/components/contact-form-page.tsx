import { useState } from 'react'
import { Link, leaveTo } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { spec } from '../../../lib/db.ts'
import { formValuesOf } from '../../../lib/form-values.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { RecordForm, type FieldHint } from '../../../components/record-form.tsx'
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx'
import { NotFound } from '../../../components/not-found.tsx'
import { RecordIssue } from '../../../components/record-issue.tsx'
import { OverwriteNotices } from '../../../components/overwrite-notice.tsx'
import { useCompanyById, useCompanyOf, useContact } from '../api/use-contacts.ts'
import { createContact, deleteContact, discardContactChange, updateContact } from '../api/contact-writes.ts'

const HINTS: Record<string, FieldHint> = {
  name: { autoComplete: 'name' },
  jobTitle: { autoComplete: 'organization-title' },
  email: { autoComplete: 'email' },
  phone: { autoComplete: 'tel' },
}

/** Adds a contact to a company (`/companies/:uid/contacts/new`). */
export function NewContactPage({ companyUid }: { companyUid: string }) {
  const company = useCompanyOf(companyUid)
  useDocumentTitle('Add contact')
  if (company === undefined) return <p className="loading">Loading…</p>
  if (company === null) return <NotFound title="Company not found" />
  const back = paths.company(company.uid)
  return (
    <>
      <Link className="back-link" to={back}>
        <span aria-hidden="true">‹</span>
        {company.name}
      </Link>
      <h1>Add contact</h1>
      <p className="lead">to {company.name}</p>
      <RecordForm
        entity={spec.child}
        initialValues={formValuesOf(spec.child)}
        hints={HINTS}
        submitLabel="Add contact"
        testId="contact-form"
        onCancel={() => leaveTo(back)}
        onSave={async (values) => {
          await createContact(company.uid, values)
          leaveTo(back)
        }}
      />
    </>
  )
}

/** Edits or deletes a contact (`/contacts/:uid/edit`). */
export function EditContactPage({ uid }: { uid: string }) {
  const contact = useContact(uid)
  const company = useCompanyById(contact?.companyId)
  const [confirming, setConfirming] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  useDocumentTitle('Edit contact')

  if (contact === undefined) return <p className="loading">Loading…</p>
  if (contact === null) {
    return (
      <NotFound title="Contact not found">
        <p>It may have been deleted on this phone or by someone else.</p>
      </NotFound>
    )
  }
  const back = company ? paths.company(company.uid) : paths.home()

  async function remove() {
    setConfirming(false)
    try {
      await deleteContact(uid)
      leaveTo(back)
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err))
    }
  }

  return (
    <>
      <Link className="back-link" to={back}>
        <span aria-hidden="true">‹</span>
        {company?.name ?? 'All companies'}
      </Link>
      <h1>Edit contact</h1>
      <RecordIssue
        record={contact}
        noun="contact"
        parentName={company?.name}
        onDiscard={() => discardContactChange(uid)}
      />
      <OverwriteNotices uid={uid} />
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
      <RecordForm
        key={uid}
        entity={spec.child}
        initialValues={formValuesOf(spec.child, contact)}
        hints={HINTS}
        submitLabel="Save changes"
        testId="contact-form"
        onCancel={() => leaveTo(back)}
        onSave={async (values) => {
          await updateContact(uid, values)
          leaveTo(back)
        }}
      />
      <div className="danger-zone">
        <button
          type="button"
          className="button button--danger"
          onClick={() => setConfirming(true)}
          data-testid="delete-contact"
        >
          Delete contact
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${contact.name}?`}
        confirmLabel="Delete contact"
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
        testId="confirm-delete"
      >
        <p>The contact is removed from this phone now and from the server at the next sync.</p>
      </ConfirmDialog>
    </>
  )
}

import { Link, leaveTo, navigate } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { spec } from '../../../lib/db.ts'
import { formValuesOf } from '../../../lib/form-values.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { RecordForm, type FieldHint } from '../../../components/record-form.tsx'
import { NotFound } from '../../../components/not-found.tsx'
import { useCompany } from '../api/use-company.ts'
import { createCompany, updateCompany } from '../api/company-writes.ts'

const HINTS: Record<string, FieldHint> = {
  name: { autoComplete: 'organization' },
  address: { autoComplete: 'street-address', multiline: true },
  phone: { autoComplete: 'tel' },
  email: { autoComplete: 'email' },
  website: { autoComplete: 'url' },
}

/** Adds a company (no uid) or edits one. Saving writes to the device; the sync takes it to the server. */
export function CompanyFormPage({ uid }: { uid?: string }) {
  const company = useCompany(uid ?? '')
  const editing = uid !== undefined
  useDocumentTitle(editing ? 'Edit company' : 'Add company')

  if (editing && company === undefined) return <p className="loading">Loading…</p>
  if (editing && company === null) return <NotFound title="Company not found" />

  const back = editing ? paths.company(uid) : paths.home()
  return (
    <>
      <Link className="back-link" to={back}>
        <span aria-hidden="true">‹</span>
        {editing ? (company?.name ?? 'Company') : 'All companies'}
      </Link>
      <h1>{editing ? 'Edit company' : 'Add company'}</h1>
      <RecordForm
        // A sync may replace the record while the form is open; the form keeps what the user typed.
        key={editing ? uid : 'new'}
        entity={spec.parent}
        initialValues={formValuesOf(spec.parent, company ?? undefined)}
        hints={HINTS}
        submitLabel={editing ? 'Save changes' : 'Add company'}
        testId="company-form"
        onCancel={() => leaveTo(back)}
        onSave={async (values) => {
          if (editing) {
            await updateCompany(uid, values)
            leaveTo(paths.company(uid))
          } else {
            const created = await createCompany(values)
            navigate(paths.company(created.uid), { replace: true })
          }
        }}
      />
    </>
  )
}

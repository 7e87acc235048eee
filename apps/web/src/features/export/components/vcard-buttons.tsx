import { useState } from 'react'
import { exportCompanyVCards, exportContactVCard } from '../api/export-files.ts'

function useFailure() {
  const [failure, setFailure] = useState<string | null>(null)
  const report = (err: unknown) => setFailure(err instanceof Error ? err.message : String(err))
  return { failure, setFailure, report }
}

/** "Save contacts (vCard)" on a company's page: its contacts as one address-book file. */
export function CompanyVCardButton({ company }: { company: { id: number; name: string | null } }) {
  const { failure, setFailure, report } = useFailure()
  return (
    <>
      <button
        type="button"
        className="button"
        data-testid="export-company-vcard"
        onClick={() => {
          setFailure(null)
          exportCompanyVCards(company).catch(report)
        }}
      >
        Save contacts (vCard)
      </button>
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
    </>
  )
}

/** A chip on a contact's row: that one contact as an address-book file. */
export function ContactVCardChip({
  contact,
}: {
  contact: { uid: string; name: string | null; companyId: number }
}) {
  const { failure, setFailure, report } = useFailure()
  return (
    <>
      <button
        type="button"
        className="chip"
        data-testid="export-contact-vcard"
        onClick={() => {
          setFailure(null)
          exportContactVCard(contact).catch(report)
        }}
      >
        vCard <span className="visually-hidden">of {contact.name}</span>
      </button>
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
    </>
  )
}

import { useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { db } from '../../../lib/db.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import { exportAllVCards, exportCompaniesCsv, exportContactsCsv } from '../api/export-files.ts'

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`

/** Files made from this phone's data, offline: CSV for a spreadsheet, vCard for a phone's address book. */
export function ExportPage() {
  useDocumentTitle('Export')
  const counts = useLiveQuery(async () => ({
    companies: await db.parents.orderBy('_sort').count(),
    contacts: await db.children.orderBy('_sort').count(),
  }))
  const [message, setMessage] = useState<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  function run(what: () => Promise<number>, noun: [string, string]) {
    setFailure(null)
    setMessage(null)
    what().then(
      (n) => setMessage(`Downloaded ${plural(n, ...noun)}.`),
      (err: unknown) => setFailure(err instanceof Error ? err.message : String(err)),
    )
  }

  const none = counts?.companies === 0
  return (
    <>
      <h1>Export</h1>
      <p className="lead">
        Files made on this phone from what it holds now, changes not yet synced included. No connection
        needed.
      </p>
      {counts ? (
        <p className="list-summary" data-testid="export-counts">
          {plural(counts.companies, 'company', 'companies')} and{' '}
          {plural(counts.contacts, 'contact', 'contacts')} on this phone.
        </p>
      ) : null}
      <section className="section" aria-labelledby="export-csv">
        <h2 id="export-csv">For a spreadsheet (CSV)</h2>
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={none}
            data-testid="export-companies-csv"
            onClick={() => run(exportCompaniesCsv, ['company', 'companies'])}
          >
            Companies
          </button>
          <button
            type="button"
            className="button"
            disabled={counts?.contacts === 0}
            data-testid="export-contacts-csv"
            onClick={() => run(exportContactsCsv, ['contact', 'contacts'])}
          >
            Contacts
          </button>
        </div>
      </section>
      <section className="section" aria-labelledby="export-vcard">
        <h2 id="export-vcard">For an address book (vCard)</h2>
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={counts?.contacts === 0}
            data-testid="export-all-vcard"
            onClick={() => run(exportAllVCards, ['contact', 'contacts'])}
          >
            All contacts
          </button>
        </div>
        <p className="device-note">One company’s contacts, or one contact, from the company’s page.</p>
      </section>
      <p role="status" data-testid="export-status">
        {message}
      </p>
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
      <p>
        <Link to={paths.importData()} data-testid="import-link">
          Import companies and contacts from a spreadsheet
        </Link>
      </p>
    </>
  )
}

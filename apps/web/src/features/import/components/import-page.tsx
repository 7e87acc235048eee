import { useMemo, useState } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'
import { guessMapping, type ImportTarget } from '../api/import-fields.ts'
import { planImport } from '../api/plan-import.ts'
import { importPlan, readImportFile } from '../api/run-import.ts'
import type { ImportProgress, ImportResult } from '../api/write-import.ts'
import { ColumnMapping } from './column-mapping.tsx'
import { ImportSummary } from './import-summary.tsx'

interface Loaded {
  name: string
  headers: string[]
  rows: string[][]
  existing: Set<string>
}

type Stage =
  | { kind: 'pick' }
  | { kind: 'reading'; rows: number }
  | { kind: 'preview' }
  | { kind: 'importing'; progress: ImportProgress }
  | { kind: 'done'; result: ImportResult }

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err))

/**
 * Import a CSV of companies and contacts: pick a file, check the guessed column mapping and the rows the field
 * rules refuse, then import the good rows as local adds with a progress bar.
 */
export function ImportPage() {
  useDocumentTitle('Import')
  const [stage, setStage] = useState<Stage>({ kind: 'pick' })
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [mapping, setMapping] = useState<ImportTarget[]>([])
  const [failure, setFailure] = useState<string | null>(null)

  const plan = useMemo(
    () => (loaded ? planImport(loaded.rows, mapping, loaded.existing) : null),
    [loaded, mapping],
  )
  const samples = useMemo(
    () =>
      loaded?.headers.map((_, column) => loaded.rows.find((row) => row[column]?.trim())?.[column]?.trim()) ??
      [],
    [loaded],
  )

  function choose(file: File | undefined) {
    setFailure(null)
    setLoaded(null)
    if (!file) return setStage({ kind: 'pick' })
    setStage({ kind: 'reading', rows: 0 })
    readImportFile(file, (rows) => setStage({ kind: 'reading', rows })).then(
      (parsed) => {
        setLoaded({ name: file.name, ...parsed })
        setMapping(guessMapping(parsed.headers))
        setStage({ kind: 'preview' })
      },
      (err: unknown) => {
        setFailure(errorText(err))
        setStage({ kind: 'pick' })
      },
    )
  }

  function start() {
    if (!plan) return
    setFailure(null)
    setStage({ kind: 'importing', progress: { done: 0, total: plan.rows.length } })
    importPlan(plan, (progress) => setStage({ kind: 'importing', progress })).then(
      (result) => setStage({ kind: 'done', result }),
      (err: unknown) => {
        setFailure(errorText(err))
        setStage({ kind: 'preview' })
      },
    )
  }

  const busy = stage.kind === 'reading' || stage.kind === 'importing'
  return (
    <>
      <h1>Import</h1>
      <p className="lead">
        A CSV file of companies, of contacts with their company’s name, or both in one sheet. You check the
        columns and the rows before anything is added; imported records sync like ones typed in.
      </p>
      <div className="field">
        <label htmlFor="import-file" className="field__label">
          CSV file
        </label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          data-testid="import-file"
          onChange={(event) => choose(event.target.files?.[0])}
        />
      </div>
      {stage.kind === 'reading' ? (
        <p role="status" data-testid="import-reading">
          Reading the file… {formatNumber(stage.rows)} rows so far.
        </p>
      ) : null}
      {failure ? (
        <p className="form-error" role="alert" data-testid="import-failure">
          {failure}
        </p>
      ) : null}
      {loaded && plan && (stage.kind === 'preview' || stage.kind === 'importing') ? (
        <>
          <section className="section" aria-labelledby="import-columns">
            <h2 id="import-columns">Columns</h2>
            <p className="device-note">
              What each column of “{loaded.name}” goes into, guessed from its heading. Change any that are
              wrong.
            </p>
            <ColumnMapping
              headers={loaded.headers}
              samples={samples}
              mapping={mapping}
              onChange={(column, target) =>
                setMapping((current) => current.map((t, i) => (i === column ? target : t)))
              }
            />
          </section>
          <ImportSummary plan={plan} totalRows={loaded.rows.length} />
          {stage.kind === 'importing' ? (
            <div className="import-progress">
              <label htmlFor="import-progress">
                Importing… {formatNumber(stage.progress.done)} of {formatNumber(stage.progress.total)} rows
              </label>
              <progress
                id="import-progress"
                data-testid="import-progress"
                max={Math.max(1, stage.progress.total)}
                value={stage.progress.done}
              />
            </div>
          ) : (
            <button
              type="button"
              className="button button--primary button--wide"
              disabled={plan.rows.length === 0}
              data-testid="import-start"
              onClick={start}
            >
              {plan.rows.length === 0
                ? 'Nothing to import'
                : `Import ${formatNumber(plan.rows.length)} ${plan.rows.length === 1 ? 'row' : 'rows'}`}
              {plan.errors.length > 0 ? ', leave out the rows with errors' : ''}
            </button>
          )}
        </>
      ) : null}
      {stage.kind === 'done' ? (
        <div role="status" data-testid="import-done">
          <p>
            Added {formatNumber(stage.result.companies)}{' '}
            {stage.result.companies === 1 ? 'company' : 'companies'} and {formatNumber(stage.result.contacts)}{' '}
            {stage.result.contacts === 1 ? 'contact' : 'contacts'} on this phone. They go to the server with
            the next sync.
          </p>
          <p>
            <Link to={paths.home()}>See the companies</Link>
          </p>
        </div>
      ) : null}
    </>
  )
}

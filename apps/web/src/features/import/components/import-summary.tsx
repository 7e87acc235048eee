import { formatNumber } from '../../../lib/format/locale-format.ts'
import type { ImportPlan } from '../api/plan-import.ts'

/** Lines with errors listed in full up to this many; a count says how many more. */
const SHOWN_ERRORS = 50

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`

/** What the import will do, and every row it will leave out with the reason, before anything is written. */
export function ImportSummary({ plan, totalRows }: { plan: ImportPlan; totalRows: number }) {
  const hidden = plan.errors.length - SHOWN_ERRORS
  return (
    <section className="section" aria-labelledby="import-check">
      <h2 id="import-check">Check</h2>
      <ul className="import-summary" data-testid="import-summary">
        <li data-testid="import-total">{plural(totalRows, 'row', 'rows')} in the file.</li>
        <li data-testid="import-adds">
          Adds {plural(plan.newCompanies, 'company', 'companies')} and{' '}
          {plural(plan.newContacts, 'contact', 'contacts')}.
        </li>
        {plan.existingCompanies > 0 ? (
          <li data-testid="import-existing">
            {plural(plan.existingCompanies, 'company is', 'companies are')} already on this phone: used as
            they are, not changed or duplicated.
          </li>
        ) : null}
        {plan.blank > 0 ? <li>{plural(plan.blank, 'empty row is', 'empty rows are')} skipped.</li> : null}
        {plan.errors.length > 0 ? (
          <li data-testid="import-error-count">
            {plural(plan.errors.length, 'row has errors and is', 'rows have errors and are')} left out:
          </li>
        ) : null}
      </ul>
      {plan.errors.length > 0 ? (
        <ul className="import-errors" data-testid="import-errors">
          {plan.errors.slice(0, SHOWN_ERRORS).map((error) => (
            <li key={error.line} data-testid="import-error" data-line={error.line}>
              Line {error.line}: {error.messages.join('. ')}.
            </li>
          ))}
          {hidden > 0 ? <li>and {plural(hidden, 'more row', 'more rows')} with errors.</li> : null}
        </ul>
      ) : null}
    </section>
  )
}

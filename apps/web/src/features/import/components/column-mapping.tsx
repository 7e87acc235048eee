import { importTargets, targetKey, targetOfKey, type ImportTarget } from '../api/import-fields.ts'

export interface ColumnMappingProps {
  headers: readonly string[]
  /** An example value of each column (its first non-empty cell). */
  samples: readonly (string | undefined)[]
  mapping: readonly ImportTarget[]
  onChange: (column: number, target: ImportTarget) => void
}

/** One labelled picker per column of the file, guessed from its heading, with an example value. */
export function ColumnMapping({ headers, samples, mapping, onChange }: ColumnMappingProps) {
  return (
    <ol className="column-mapping" data-testid="column-mapping">
      {headers.map((header, column) => {
        const id = `column-${column}`
        const sample = samples[column]
        return (
          <li key={id} className="column-mapping__row" data-testid="mapping-row" data-column={header}>
            <label htmlFor={id} className="field__label">
              {header}
              {sample ? <span className="column-mapping__sample"> e.g. “{sample}”</span> : null}
            </label>
            <select
              id={id}
              className="column-mapping__select"
              value={targetKey(mapping[column] ?? null)}
              onChange={(event) => onChange(column, targetOfKey(event.target.value))}
            >
              <option value="">Leave out</option>
              {importTargets.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.label}
                </option>
              ))}
            </select>
          </li>
        )
      })}
    </ol>
  )
}

import { useId, useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { queries, type LocalCompany } from '../../../lib/db.ts'
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts'

const SHOWN = 8

export interface AttentionMovePickerProps {
  /** The company the contacts are leaving, not offered as a target. */
  excludeUid?: string
  /** How many contacts move, for the labels. */
  count: number
  onPick: (company: LocalCompany) => void
  onCancel: () => void
}

/**
 * A searchable list of the companies on this phone that can take contacts: active and not refused themselves.
 * One tap on a company moves the contacts there.
 */
export function AttentionMovePicker({ excludeUid, count, onPick, onCancel }: AttentionMovePickerProps) {
  const id = useId()
  const [search, setSearch] = useState('')
  const needle = useDebouncedValue(search.trim(), 150)
  // Ask for a few more than shown: some may be left out below.
  const found = useLiveQuery(() => queries.listParents({ search: needle, limit: SHOWN + 2 }), [needle])
  const targets = (found ?? []).filter((c) => c.uid !== excludeUid && !c.syncError).slice(0, SHOWN)
  const what = count === 1 ? 'the contact' : `the ${count} contacts`

  return (
    <div className="move-picker" data-testid="move-picker">
      <label htmlFor={`${id}-search`} className="field__label">
        Move {what} to which company?
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={search}
        autoComplete="off"
        onChange={(event) => setSearch(event.target.value)}
        data-testid="move-search"
      />
      {found !== undefined && targets.length === 0 ? (
        <p className="list-summary">No company matches; try another name.</p>
      ) : null}
      <ul className="move-picker__list" aria-label="Companies">
        {targets.map((company) => (
          <li key={company.uid}>
            <button
              type="button"
              className="button move-picker__target"
              onClick={() => onPick(company)}
              data-testid="move-target"
              data-uid={company.uid}
            >
              <span className="visually-hidden">Move {what} to </span>
              {company.name}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={onCancel} data-testid="move-cancel">
        Cancel
      </button>
    </div>
  )
}

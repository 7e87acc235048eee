import { useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { createOverwriteActions, listOverwrites, type KeptOverwrite } from '@offline-sync/sync-client'
import { db, spec, writes } from '../lib/db.ts'

const actions = createOverwriteActions(db, writes)

type Shown = Pick<KeptOverwrite, 'entity' | 'field' | 'replaced' | 'written' | 'side'>

function fieldLabel(entity: string, field: string): string {
  const declared = entity === spec.parent.name ? spec.parent.fields : spec.child.fields
  if (field === spec.child.parentKey) return 'Company'
  return (declared as Record<string, { label: string } | undefined>)[field]?.label ?? field
}

const quoted = (value: string | number | null, field: string | null) =>
  value === null
    ? 'an empty value'
    : field === spec.child.parentKey
      ? 'another company'
      : `'${String(value)}'`

/** The sentence for one overwrite (rule M8), from this device's side. */
export function overwriteText(o: Shown): string {
  const noun = o.entity === spec.parent.name ? 'company' : 'contact'
  if (o.field === null) {
    return o.side === 'mine'
      ? `You deleted the ${noun} ${quoted(o.replaced, null)} after another device had edited it.`
      : `The ${noun} ${quoted(o.replaced, null)}, which you edited, was deleted on another device.`
  }
  const label = fieldLabel(o.entity, o.field)
  return o.side === 'mine'
    ? `${label}: your ${quoted(o.written, o.field)} replaced ${quoted(o.replaced, o.field)} from another device`
    : `${label}: your ${quoted(o.replaced, o.field)} was replaced by ${quoted(o.written, o.field)} from another device`
}

/** One kept overwrite with its two answers; a delete against an edit can only be acknowledged. */
export function OverwriteLine({ overwrite }: { overwrite: KeptOverwrite }) {
  const [failure, setFailure] = useState<string | null>(null)
  const act = (fn: (key: string) => Promise<void>) => () => {
    fn(overwrite.key).catch((err: unknown) => setFailure(err instanceof Error ? err.message : String(err)))
  }
  return (
    <li
      className="overwrite"
      data-testid="overwrite-notice"
      data-side={overwrite.side}
      data-field={overwrite.field ?? ''}
    >
      <p>{overwriteText(overwrite)}</p>
      {overwrite.field === null ? (
        <button type="button" className="button" onClick={act(actions.keepMine)} data-testid="overwrite-ok">
          OK
        </button>
      ) : (
        <p className="overwrite__actions">
          <button
            type="button"
            className="button"
            onClick={act(actions.keepMine)}
            data-testid="overwrite-keep-mine"
          >
            Keep mine
          </button>{' '}
          <button
            type="button"
            className="button"
            onClick={act(actions.useTheirs)}
            data-testid="overwrite-use-theirs"
          >
            Use theirs
          </button>
        </p>
      )}
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
    </li>
  )
}

/** The overwrites kept for one record (all records when `uid` is absent), live; nothing when there are none. */
export function OverwriteNotices({ uid, keys }: { uid?: string; keys?: readonly string[] }) {
  const kept = useLiveQuery(() => listOverwrites(db, uid), [uid])
  const shown = keys ? kept?.filter((o) => keys.includes(o.key)) : kept
  if (!shown || shown.length === 0) return null
  return (
    <section className="issue" aria-label="Values changed by another device" data-testid="overwrite-notices">
      <ul className="journal-lines">
        {shown.map((o) => (
          <OverwriteLine key={o.key} overwrite={o} />
        ))}
      </ul>
    </section>
  )
}

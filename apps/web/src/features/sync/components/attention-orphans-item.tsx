import { useState } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { canFixByEditing } from '../../../lib/record-status.ts'
import type { AttentionHandlers } from './attention-handlers.ts'
import { AttentionMovePicker } from './attention-move-picker.tsx'
import { AttentionRecreateForm } from './attention-recreate-form.tsx'
import { attention, type OrphansEntry } from './attention-store.ts'
import { namesOf, orphansReason } from './attention-words.ts'

type Mode = 'idle' | 'move' | 'recreate'

/**
 * Contacts held up by their company (deleted on the server, gone from this phone, or refused), and that company
 * if it is still here: move the contacts, re-create the company, fix it, or discard.
 */
export function AttentionOrphansItem({ entry, on }: { entry: OrphansEntry; on: AttentionHandlers }) {
  const [mode, setMode] = useState<Mode>('idle')
  const { parent, children, parentId } = entry
  const deleted = !parent || parent.syncError?.code === 'not_found'
  const title = parent ? parent.name || 'Unnamed company' : 'A company deleted on the server'
  const contacts = children.length === 1 ? '1 contact' : `${children.length} contacts`

  const lost = [
    // A ghost (kept only for its contacts, unchanged here) holds no changes of the user's.
    parent?.syncError?.code === 'not_found' && parent.isModified
      ? `your changes to ${parent.name || 'the company'}`
      : null,
    children.length > 0 ? `${contacts} (${namesOf(children)})` : null,
  ].filter(Boolean)

  return (
    <li
      className="attention-item"
      data-testid="attention-item"
      data-kind="orphans"
      data-uid={parent?.uid}
      data-entity="company"
      data-parent-id={parentId}
    >
      <p className="attention-item__kind">
        {deleted ? 'Company deleted on the server' : 'Company refused by the server'}
        {children.length > 0 ? `, ${contacts} waiting` : ''}
      </p>
      <h2>{title}</h2>
      <p data-testid="attention-reason">{orphansReason(entry)}</p>
      {children.length > 0 ? (
        <ul className="attention-item__records" aria-label="Contacts waiting">
          {children.map((c) => (
            <li key={c.uid} data-testid="attention-contact" data-uid={c.uid}>
              {c.name || 'Unnamed contact'}
            </li>
          ))}
        </ul>
      ) : null}

      {mode === 'move' ? (
        <AttentionMovePicker
          excludeUid={parent?.uid}
          count={children.length}
          onCancel={() => setMode('idle')}
          onPick={(target) => {
            setMode('idle')
            on.run(
              () => attention.moveChildren({ parentId }, target.uid),
              `Moved ${contacts} to ${target.name}; they are sent at the next sync.`,
            )
          }}
        />
      ) : null}
      {mode === 'recreate' ? (
        <AttentionRecreateForm
          parentId={parentId}
          onCancel={() => setMode('idle')}
          onDone={(name) => on.run(async () => undefined, `Re-created ${name}; it is sent at the next sync.`)}
        />
      ) : null}

      {mode === 'idle' ? (
        <div className="issue__actions">
          {parent && canFixByEditing(parent) ? (
            <Link
              className="button button--primary"
              to={paths.editCompany(parent.uid)}
              data-testid="fix-button"
            >
              Fix and resend <span className="visually-hidden">{title}</span>
            </Link>
          ) : null}
          {deleted ? (
            <button
              type="button"
              className="button button--primary"
              onClick={() =>
                parent
                  ? on.run(
                      () => attention.recreateParent(parent.uid),
                      `Re-created ${title}; it is sent at the next sync.`,
                    )
                  : setMode('recreate')
              }
              data-testid="recreate-button"
            >
              Re-create the company
            </button>
          ) : null}
          {children.length > 0 ? (
            <button
              type="button"
              className="button"
              onClick={() => setMode('move')}
              data-testid="move-button"
            >
              Move {children.length === 1 ? 'the contact' : 'the contacts'} to another company
            </button>
          ) : null}
          <button
            type="button"
            className="button"
            onClick={() => on.confirmDiscard(lost.join(' and '), () => attention.discardOrphans(parentId))}
            data-testid="discard-button"
          >
            Discard <span className="visually-hidden">{title}</span>
          </button>
        </div>
      ) : null}
    </li>
  )
}

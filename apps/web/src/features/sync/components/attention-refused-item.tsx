import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { writes } from '../../../lib/db.ts'
import { canFixByEditing } from '../../../lib/record-status.ts'
import type { AttentionHandlers } from './attention-handlers.ts'
import { attention, type RefusedEntry } from './attention-store.ts'
import { refusedReason } from './attention-words.ts'

/** A refused company or contact: fix and resend, send again as new, or discard. */
export function AttentionRefusedItem({ entry, on }: { entry: RefusedEntry; on: AttentionHandlers }) {
  const { record, entity } = entry
  const name = record.name || `Unnamed ${entity}`
  const what = entity === 'company' ? 'Company' : 'Contact'
  const change = !record.isFromServer ? 'new' : record.isActive ? 'edited' : 'deleted'
  const fixPath = canFixByEditing(record)
    ? entity === 'company'
      ? paths.editCompany(record.uid)
      : paths.editContact(record.uid)
    : undefined
  const canRecreate = record.isActive && record.syncError?.code === 'not_found'

  return (
    <li
      className="attention-item"
      data-testid="attention-item"
      data-kind="refused"
      data-uid={record.uid}
      data-entity={entity}
    >
      <p className="attention-item__kind">
        {what}, {change} on this phone
      </p>
      <h2>{name}</h2>
      <p data-testid="attention-reason">{refusedReason(entry)}</p>
      <div className="issue__actions">
        {fixPath ? (
          <Link className="button button--primary" to={fixPath} data-testid="fix-button">
            Fix and resend <span className="visually-hidden">{name}</span>
          </Link>
        ) : null}
        {canRecreate ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() =>
              on.run(() => attention.recreate(entity, record.uid), `${name} will be sent again as new.`)
            }
            data-testid="recreate-button"
          >
            Send again as new <span className="visually-hidden">{name}</span>
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          onClick={() =>
            on.confirmDiscard(`Your change to ${name}`, () => writes.discard(entity, record.uid))
          }
          data-testid="discard-button"
        >
          Discard <span className="visually-hidden">change to {name}</span>
        </button>
      </div>
    </li>
  )
}

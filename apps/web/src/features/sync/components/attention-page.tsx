import { useState } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { writes, type AttentionItem } from '../../../lib/db.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx'
import { canFixByEditing } from '../../../lib/record-status.ts'
import { useAttentionItems } from '../api/use-sync-status.ts'

function fixPathOf(item: AttentionItem): string | undefined {
  if (!canFixByEditing(item.record)) return undefined
  return item.entity === 'company' ? paths.editCompany(item.record.uid) : paths.editContact(item.record.uid)
}

function AttentionRow({
  item,
  onDiscard,
}: {
  item: AttentionItem
  onDiscard: (item: AttentionItem) => void
}) {
  const fixPath = fixPathOf(item)
  const what = item.entity === 'company' ? 'Company' : 'Contact'
  const change = !item.record.isFromServer ? 'new' : item.record.isActive ? 'edited' : 'deleted'
  return (
    <li
      className="attention-item"
      data-testid="attention-item"
      data-uid={item.record.uid}
      data-entity={item.entity}
    >
      <p className="attention-item__kind">
        {what}, {change} on this phone
      </p>
      <h2>{item.record.name || `Unnamed ${item.entity}`}</h2>
      <p data-testid="attention-reason">{item.record.syncError?.reason}</p>
      <div className="issue__actions">
        {fixPath ? (
          <Link className="button button--primary" to={fixPath} data-testid="fix-button">
            Fix <span className="visually-hidden">{item.record.name}</span>
          </Link>
        ) : null}
        <button type="button" className="button" onClick={() => onDiscard(item)} data-testid="discard-button">
          Discard <span className="visually-hidden">change to {item.record.name}</span>
        </button>
      </div>
    </li>
  )
}

/** Every change the server refused, with its reason: fix it (the edit is sent again) or discard it. */
export function AttentionPage() {
  useDocumentTitle('Needs attention')
  const items = useAttentionItems()
  const [discarding, setDiscarding] = useState<AttentionItem | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  async function discard(item: AttentionItem) {
    setDiscarding(null)
    try {
      await writes.discard(item.entity, item.record.uid)
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err))
    }
  }

  return (
    <>
      <h1>Needs attention</h1>
      <p className="lead">
        The server refused these changes. Where the change itself was wrong, fix it and it is sent again at
        the next sync; otherwise discard it, and this phone shows what the server has.
      </p>
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
      {items === undefined ? <p className="loading">Loading…</p> : null}
      {items?.length === 0 ? (
        <p data-testid="attention-empty">
          Nothing needs your attention. <Link to={paths.home()}>Back to all companies</Link>
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <ul className="list" data-testid="attention-list">
          {items.map((item) => (
            <AttentionRow key={item.record.uid} item={item} onDiscard={setDiscarding} />
          ))}
        </ul>
      ) : null}
      <ConfirmDialog
        open={discarding !== null}
        title="Discard this change?"
        confirmLabel="Discard"
        onConfirm={() => discarding && void discard(discarding)}
        onCancel={() => setDiscarding(null)}
        testId="confirm-discard"
      >
        <p>
          Your change to {discarding?.record.name ?? 'this record'} is thrown away; this phone then shows what
          the server has.
        </p>
      </ConfirmDialog>
    </>
  )
}

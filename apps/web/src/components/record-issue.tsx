import { useState } from 'react'
import { Link } from '../lib/router/index.ts'
import { paths } from '../config/paths.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { canFixByEditing, type SyncFlags } from '../lib/record-status.ts'
import { issueSentence } from '../lib/record-issue-words.ts'

export interface RecordIssueProps {
  record: SyncFlags & { uid: string; name?: unknown }
  /** What the record is, for the text: "company", "contact". */
  noun: string
  /** A contact's company name, so the text can say which company was deleted. */
  parentName?: string | null
  /** The record's edit page; offered only when editing can make the server accept the change. */
  fixPath?: string
  onDiscard: () => Promise<void>
}

/**
 * The server refused this record's change: say why, and offer to fix it (editing resends it), to move or
 * re-create it on the attention page (when it or its company was deleted elsewhere), or to discard it (keep the
 * server's version). Renders nothing for records without a refusal.
 */
export function RecordIssue({ record, noun, parentName, fixPath, onDiscard }: RecordIssueProps) {
  const [confirming, setConfirming] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  if (!record.syncError) return null
  // A company kept here only for contacts under it: nothing of it is "your change"; the attention page discards
  // those contacts by name, with a confirmation.
  const keptForContacts =
    record.syncError.code === 'not_found' && record.isFromServer && !record.isModified && record.isActive

  async function discard() {
    setConfirming(false)
    try {
      await onDiscard()
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err))
    }
  }

  return (
    <div className="issue" data-testid="record-issue">
      <p className="issue__reason">{issueSentence({ record, noun, parentName })}</p>
      {failure ? (
        <p className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="issue__actions">
        {fixPath && canFixByEditing(record) ? (
          <Link className="button button--primary" to={fixPath} data-testid="fix-button">
            Fix
          </Link>
        ) : null}
        {canFixByEditing(record) ? null : (
          // Deleted elsewhere or its company is gone: moving or re-creating is done on the attention page.
          <Link className="button button--primary" to={paths.attention()} data-testid="attention-options">
            Move or re-create…
          </Link>
        )}
        {keptForContacts ? null : (
          <button
            type="button"
            className="button"
            onClick={() => setConfirming(true)}
            data-testid="discard-button"
          >
            Discard change
          </button>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Discard your change to this ${noun}?`}
        confirmLabel="Discard"
        onConfirm={() => void discard()}
        onCancel={() => setConfirming(false)}
        testId="confirm-discard"
      >
        <p>Your change is thrown away; this phone then shows what the server has.</p>
      </ConfirmDialog>
    </div>
  )
}

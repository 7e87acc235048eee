import { useState } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx'
import type { AttentionHandlers } from './attention-handlers.ts'
import { AttentionOrphansItem } from './attention-orphans-item.tsx'
import { AttentionRefusedItem } from './attention-refused-item.tsx'
import { attentionCountText, countRecords, useAttentionEntries, type Entry } from './attention-store.ts'

const keyOf = (entry: Entry) =>
  entry.kind === 'refused' ? `refused:${entry.record.uid}` : `orphans:${entry.parentId}`

/**
 * Every change the server refused and every group of contacts whose company is gone, each with the reason in
 * plain words and the one-tap actions that apply. No action loses anything silently: discarding asks first and
 * names what goes; every other action leaves the records pending, so the next sync sends them.
 */
export function AttentionPage() {
  useDocumentTitle('Needs attention')
  const entries = useAttentionEntries()
  const [discarding, setDiscarding] = useState<{ what: string; action: () => Promise<unknown> } | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  const on: AttentionHandlers = {
    run: (action, done) => {
      setFailure(null)
      setStatus(null)
      action().then(
        () => setStatus(done),
        (err: unknown) => setFailure(err instanceof Error ? err.message : String(err)),
      )
    },
    confirmDiscard: (what, action) => setDiscarding({ what, action }),
  }

  return (
    <>
      <h1>Needs attention</h1>
      <p className="lead">
        The server could not take these changes. Nothing is lost: each one stays on this phone until you
        choose what happens to it, and the next sync sends what you fixed, moved or re-created.
      </p>
      <p role="status" className="attention-status" data-testid="attention-status">
        {status}
      </p>
      {failure ? (
        <p className="form-error" role="alert" data-testid="attention-failure">
          {failure}
        </p>
      ) : null}
      {entries === undefined ? <p className="loading">Loading…</p> : null}
      {entries?.length === 0 ? (
        <p data-testid="attention-empty">
          Nothing needs your attention. <Link to={paths.home()}>Back to all companies</Link>
        </p>
      ) : null}
      {entries && entries.length > 0 ? (
        <p className="list-summary" data-testid="attention-total">
          {attentionCountText(countRecords(entries))}.
        </p>
      ) : null}
      {entries && entries.length > 0 ? (
        <ul className="list" data-testid="attention-list">
          {entries.map((entry) =>
            entry.kind === 'refused' ? (
              <AttentionRefusedItem key={keyOf(entry)} entry={entry} on={on} />
            ) : (
              <AttentionOrphansItem key={keyOf(entry)} entry={entry} on={on} />
            ),
          )}
        </ul>
      ) : null}
      <ConfirmDialog
        open={discarding !== null}
        title="Discard for good?"
        confirmLabel="Discard"
        onConfirm={() => {
          const pending = discarding
          setDiscarding(null)
          if (pending) on.run(pending.action, `Discarded ${pending.what}.`)
        }}
        onCancel={() => setDiscarding(null)}
        testId="confirm-discard"
      >
        <p>
          {discarding?.what} will be thrown away from this phone; it cannot be undone. Records the server has
          come back as the server has them.
        </p>
      </ConfirmDialog>
    </>
  )
}

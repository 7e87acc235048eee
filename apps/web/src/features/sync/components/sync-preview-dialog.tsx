import { useEffect, useId, useState } from 'react'
import { useModalDialog } from '../../../components/use-modal-dialog.ts'
import { checkServer, readOutgoing, type OutgoingRecord, type ServerCheck } from './sync-preview-data.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'

const WORDS = { company: ['company', 'companies'], contact: ['contact', 'contacts'] } as const
const countOf = (entity: OutgoingRecord['entity'], n: number) =>
  `${formatNumber(n)} ${WORDS[entity][n === 1 ? 0 : 1]}`
const CHANGE = { added: 'New', edited: 'Edited', deleted: 'Deleted' } as const

/** "1 company, 3 contacts: 2 new, 1 edited, 1 deleted". */
export function outgoingSummary(records: OutgoingRecord[]): string {
  if (records.length === 0) return 'Nothing to send: the sync will only fetch changes from the server.'
  const entities = (['company', 'contact'] as const)
    .map((e) => [e, records.filter((r) => r.entity === e).length] as const)
    .filter(([, n]) => n > 0)
    .map(([e, n]) => countOf(e, n))
  const changes = (['added', 'edited', 'deleted'] as const)
    .map((c) => [c, records.filter((r) => r.change === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${formatNumber(n)} ${c === 'added' ? 'new' : c}`)
  return `${entities.join(', ')}: ${changes.join(', ')}`
}

function conflictOf(record: OutgoingRecord, check: ServerCheck | null): 'changed' | 'deleted' | null {
  if (check?.state !== 'ok') return null
  if (check.deleted.has(record.uid)) return 'deleted'
  if (check.changed.has(record.uid)) return 'changed'
  return null
}

function checkText(check: ServerCheck | null, conflicts: number): string {
  if (check === null) return 'Checking with the server for changes made by others…'
  switch (check.state) {
    case 'ok':
      return conflicts === 0
        ? 'Nobody else changed these records since your last sync.'
        : `${conflicts === 1 ? '1 of your changes touches a record' : `${formatNumber(conflicts)} of your changes touch records`} changed on the server since your last sync.`
    case 'nothing_to_check':
      return 'Only new records: nothing on the server can clash with them.'
    case 'unknown':
      return 'The server cannot tell what changed since your last sync; this sync brings everything up to date.'
    case 'unavailable':
      return check.message
  }
}

/**
 * What the next sync will send, record by record, and which of those records someone else changed on the server
 * since this phone last synced. "Sync now" starts the sync; nothing is sent before.
 */
export function SyncPreviewDialog({ onSync, onClose }: { onSync: () => void; onClose: () => void }) {
  const ref = useModalDialog()
  const id = useId()
  const [records, setRecords] = useState<OutgoingRecord[] | null>(null)
  const [check, setCheck] = useState<ServerCheck | null>(null)

  useEffect(() => {
    let live = true
    void readOutgoing().then(async (found) => {
      if (!live) return
      setRecords(found)
      const answer = await checkServer(found)
      if (live) setCheck(answer)
    })
    return () => {
      live = false
    }
  }, [])

  const conflicts = records?.filter((r) => conflictOf(r, check) !== null).length ?? 0
  return (
    <dialog
      ref={ref}
      className="dialog sync-preview"
      aria-labelledby={`${id}-title`}
      data-testid="sync-preview"
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={`${id}-title`} className="dialog__title">
        Before you sync
      </h2>
      {records === null ? (
        <p className="loading">Reading your changes…</p>
      ) : (
        <>
          <p data-testid="sync-preview-summary">{outgoingSummary(records)}</p>
          {records.length > 0 ? (
            <p
              className={conflicts > 0 ? 'sync-preview__warning' : 'sync-preview__note'}
              role="status"
              data-testid="sync-preview-check"
              data-state={check?.state ?? 'checking'}
              data-conflicts={conflicts}
            >
              {checkText(check, conflicts)}
            </p>
          ) : null}
          {(['company', 'contact'] as const).map((entity) => {
            const list = records.filter((r) => r.entity === entity)
            if (list.length === 0) return null
            const flagged = list.some((r) => conflictOf(r, check) !== null)
            return (
              // Keyed by whether it has clashes, so the list opens by itself once the server flags one.
              <details key={`${entity}:${flagged}`} open={flagged} className="sync-preview__group">
                <summary>{countOf(entity, list.length)}</summary>
                <ul className="journal-lines">
                  {list.map((r) => {
                    const conflict = conflictOf(r, check)
                    return (
                      <li
                        key={r.uid}
                        data-testid="sync-preview-record"
                        data-change={r.change}
                        data-conflict={conflict ?? ''}
                      >
                        <span className={`badge badge--change-${r.change}`}>{CHANGE[r.change]}</span>{' '}
                        {r.label}
                        {conflict === 'changed' ? (
                          <span className="sync-preview__flag">
                            {' '}
                            Changed on the server since your last sync: your version will replace it.
                          </span>
                        ) : null}
                        {conflict === 'deleted' ? (
                          <span className="sync-preview__flag">
                            {' '}
                            Deleted on the server since your last sync: your change will be refused.
                          </span>
                        ) : null}
                      </li>
                    )
                  })}
                </ul>
              </details>
            )
          })}
        </>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose} data-testid="sync-preview-cancel">
          Close
        </button>
        <button
          type="button"
          className="button button--primary"
          autoFocus
          onClick={onSync}
          data-testid="sync-preview-confirm"
        >
          Sync now
        </button>
      </div>
    </dialog>
  )
}

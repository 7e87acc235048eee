import { recordSyncStatus, type SyncFlags } from '../lib/record-status.ts'

export type { SyncFlags }

/**
 * A small label saying whether the server has this record as shown; nothing when it does.
 * `brief` leaves the refusal reason out, for places that show it in full next to the badge.
 */
export function RecordBadge({ record, brief = false }: { record: SyncFlags; brief?: boolean }) {
  const status = recordSyncStatus(record)
  if (status === 'synced') return null
  const text =
    status === 'refused'
      ? brief
        ? 'Refused by the server'
        : `Refused: ${record.syncError?.reason ?? ''}`
      : status === 'new'
        ? 'Not synced yet'
        : 'Edited'
  return (
    <span className={`badge badge--${status}`} data-testid="record-badge" data-status={status}>
      {text}
    </span>
  )
}

import type { JournalEntry } from '@offline-sync/sync-client'
import { outcomeText } from '../api/journal-words.ts'

/** Synced / refused / failed, in words and colour (the words alone carry the meaning). */
export function OutcomeBadge({ entry }: { entry: JournalEntry }) {
  return (
    <span className={`badge badge--sync-${entry.outcome}`} data-testid="journal-outcome">
      {outcomeText(entry)}
    </span>
  )
}

import { useDeferredValue } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { syncJournal } from '../../../lib/sync/sync-journal.ts'

/**
 * The recorded syncs, newest first; live, so a sync that finishes shows up at once. undefined while loading.
 * Deferred (see useCompanyList): up to 200 rows render in a transition, in slices, not in one long task.
 */
export function useJournalEntries() {
  return useDeferredValue(useLiveQuery(() => syncJournal.list(), []))
}

/** One recorded sync; null when there is no such entry (dropped as the journal rolled over, or a bad link). */
export function useJournalEntry(seq: number) {
  return useLiveQuery(
    async () => (Number.isSafeInteger(seq) ? await syncJournal.get(seq) : undefined) ?? null,
    [seq],
  )
}

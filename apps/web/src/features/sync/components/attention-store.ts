import { useLiveQuery } from 'dexie-react-hooks'
import { createAttentionActions } from '@offline-sync/sync-client'
import { db, spec, type LocalCompany, type LocalContact } from '../../../lib/db.ts'

/** The one-tap answers of the attention page, on the app's database (each is one Dexie transaction). */
export const attention = createAttentionActions(db, spec)

/** A refused company or contact whose company is fine (see AttentionEntry in the client engine). */
export type RefusedEntry =
  | { kind: 'refused'; entity: 'company'; record: LocalCompany }
  | { kind: 'refused'; entity: 'contact'; record: LocalContact }

/** Contacts held up by one company id: deleted on the server, gone from this phone, or itself refused. */
export interface OrphansEntry {
  kind: 'orphans'
  parentId: number
  parent: LocalCompany | null
  children: LocalContact[]
}

export type Entry = RefusedEntry | OrphansEntry

/** Everything that needs the user, live. undefined while loading. */
export function useAttentionEntries(): Entry[] | undefined {
  return useLiveQuery(() => attention.list() as Promise<Entry[]>, [])
}

/**
 * How many of this phone's changes need the user: each record counted once, even when it shows in two entries. A
 * company deleted elsewhere that is kept only for the contacts under it (a "ghost": not changed here, so not
 * pending) is not a change of the user's and is not counted; its contacts are. So the header badge, the sync bar
 * and the Attention page say the same number, and it never exceeds the sync bar's "changes to sync".
 */
export function countRecords(entries: Entry[]): number {
  const uids = new Set<string>()
  for (const entry of entries) {
    if (entry.kind === 'refused') uids.add(entry.record.uid)
    else {
      if (entry.parent && isPendingHere(entry.parent)) uids.add(entry.parent.uid)
      for (const c of entry.children) uids.add(c.uid)
    }
  }
  return uids.size
}

/** A record carrying a change of this phone's: an add, an edit or a delete (the client engine's `_pending`). */
function isPendingHere(record: { isFromServer: boolean; isModified: boolean; isActive: boolean }): boolean {
  return !record.isFromServer || record.isModified || !record.isActive
}

/** "1 change needs attention" / "3 changes need attention": the words of that count, the same everywhere. */
export function attentionCountText(count: number): string {
  return count === 1 ? '1 change needs attention' : `${count} changes need attention`
}

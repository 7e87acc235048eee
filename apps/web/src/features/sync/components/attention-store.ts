import { useLiveQuery } from 'dexie-react-hooks'
import { createAttentionActions } from '@offline-sync/client-engine'
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

/** How many records need the user: each counted once, even when it shows in two entries. */
export function countRecords(entries: Entry[]): number {
  const uids = new Set<string>()
  for (const entry of entries) {
    if (entry.kind === 'refused') uids.add(entry.record.uid)
    else {
      if (entry.parent) uids.add(entry.parent.uid)
      for (const c of entry.children) uids.add(c.uid)
    }
  }
  return uids.size
}

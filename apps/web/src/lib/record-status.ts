/** The sync flags every local record carries (Read/Write One-to-Many pattern, plus the server's refusal). */
export interface SyncFlags {
  isFromServer: boolean
  isModified: boolean
  isActive: boolean
  syncError: { code: string; reason: string } | null
}

export type RecordSyncStatus = 'refused' | 'new' | 'edited' | 'synced'

/** A refusal outranks everything: the user has to act on it. */
export function recordSyncStatus(record: SyncFlags): RecordSyncStatus {
  if (record.syncError) return 'refused'
  if (!record.isFromServer) return 'new'
  if (record.isModified || !record.isActive) return 'edited'
  return 'synced'
}

/**
 * Whether editing a refused record can help: an edit resends the same change, which only succeeds when the
 * change itself was wrong ('invalid'). A record deleted on the server, or a contact whose company is gone, is
 * refused again whatever is typed; those can only be discarded.
 */
export function canFixByEditing(record: SyncFlags): boolean {
  return record.isActive && record.syncError !== null && record.syncError.code === 'invalid'
}

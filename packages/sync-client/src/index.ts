export { createLocalDatabase, LocalDatabase } from './local-database.ts'
export type { LocalRecord, MetaEntry, MetaKey, OutboxEntry, SyncMeta } from './local-database.ts'
export { createLocalWrites, LocalRecordNotFoundError, LocalValidationError } from './local-writes.ts'
export { createAttentionActions } from './attention-actions.ts'
export { carryPendingChanges } from './carry-pending-changes.ts'
export type { CarriedChanges } from './carry-pending-changes.ts'
export type { AttentionActions, AttentionEntry } from './attention-actions.ts'
export { createLocalQueries } from './local-queries.ts'
export { SyncFailure } from './transport.ts'
export type { FailureKind, Transport, WireSyncRequest } from './transport.ts'
export { memorySyncLock, webSyncLock } from './sync-lock.ts'
export type { SyncLock } from './sync-lock.ts'
export { createSyncEngine } from './sync-engine.ts'
export { listSendable } from './pending-changes.ts'
export type { SentRecord, SyncEngineOptions, SyncProgress, SyncReport, SyncTrigger } from './sync-engine.ts'
export { createSyncJournal, journalEntry, JournalDatabase } from './sync-journal.ts'
export type {
  JournalBytes,
  JournalEntry,
  JournalRecord,
  JournalRejection,
  JournalRemap,
  SyncJournal,
} from './sync-journal.ts'
export { retryDelayMs } from './backoff.ts'
export { sortFieldOf } from './stored-record.ts'
export { createLocalSearch } from './search-records.ts'
export type { ChildOrder, LocalSearch, ParentOrder, SearchGroup, SearchResults } from './search-records.ts'
export { normalise, queryWords, recordWords } from './search-words.ts'

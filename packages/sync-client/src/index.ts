export { createLocalDatabase, LocalDatabase } from './local-database.ts'
export type { LocalRecord, MetaEntry, MetaKey, OutboxEntry, SyncMeta } from './local-database.ts'
export { createLocalWrites, LocalRecordNotFoundError, LocalValidationError } from './local-writes.ts'
export { createAttentionActions } from './attention-actions.ts'
export { createOverwriteActions, listOverwrites } from './overwrite-notices.ts'
export type { KeptOverwrite, OverwriteActions } from './overwrite-notices.ts'
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
  JournalOverwrite,
  JournalRecord,
  JournalRejection,
  JournalRemap,
  SyncJournal,
} from './sync-journal.ts'
export { retryDelayMs } from './backoff.ts'
export { sortFieldOf } from './stored-record.ts'
export { createSyncScheduler } from './sync-scheduler.ts'
export type { SchedulerClock, SyncScheduler, SyncSchedulerOptions } from './sync-scheduler.ts'
export { createEventStreamClient, isNewerCursor, parseCursorEvent } from './event-stream-client.ts'
export type {
  EventSourceLike,
  EventStreamClient,
  EventStreamClientOptions,
  EventStreamState,
  OpenEventSource,
  StreamEndReason,
} from './event-stream-client.ts'
export { syncUntilSettled } from './sync-until-settled.ts'
export type { SyncUntilSettledOptions } from './sync-until-settled.ts'
export { createLocalSearch } from './search-records.ts'
export type { ChildOrder, LocalSearch, ParentOrder, SearchGroup, SearchResults } from './search-records.ts'
export { normalise, queryWords, recordWords } from './search-words.ts'

import type { Overwrite, Rejection } from '@offline-sync/sync-protocol'
import type { SqlExecutor } from './ports.ts'

/**
 * The engine works on the declaration at run time, so inside it records are loose objects; the typed
 * SyncRequest<S> / SyncResponse<S> are only at the public edge.
 */
export interface WireRecord {
  id: number
  uid: string
  [field: string]: unknown
}

export interface RecordRef {
  id: number
  uid: string
  /** Modified and deleted records: the version the device last saw (rule M2). */
  base?: string
}

export interface LooseChangeSet {
  added: WireRecord[]
  modified: WireRecord[]
  deleted: RecordRef[]
}

/** Everything one writing sync accumulates inside its transaction. Created afresh for every (re)run of the transaction. */
export interface WriteContext {
  readonly tx: SqlExecutor
  /** This sync's version (the incremented SyncState.cursor), stamped on every row and tombstone it writes. */
  readonly version: string
  readonly rejected: Rejection[]
  /** The device sending this sync (field versions record it as the writer). */
  readonly deviceId: string
  /** Rule M4: values this sync replaced, for its response (and its receipt). */
  readonly overwrites: Overwrite[]
  /** Rule M5: the same overwrites addressed to the device whose value went; stored for its next sync. */
  readonly notices: { deviceId: string; entry: Overwrite }[]
  /**
   * Rule G7: the cursor up to which the device holds the server's data (the request's cursor when it is served a
   * delta; null otherwise), and, per entity name, the ids this sync wrote that the device therefore holds whole.
   */
  readonly heldUpTo: bigint | null
  readonly acked: Map<string, number[]>
  /** Rows deleted so far; written as tombstones in one statement at the end. */
  readonly tombstones: { entity: string; id: number }[]
}

export const isEmpty = (set: LooseChangeSet): boolean =>
  set.added.length === 0 && set.modified.length === 0 && set.deleted.length === 0

import type { LocalRecord, SyncMeta } from './local-database.ts'

/**
 * The five states a local record can be in, and every move between them. The flags of the OutSystems pattern
 * (`isFromServer`, `isModified`, `isActive`) are only ever changed here, by name, so the table below holds:
 *
 * | state      | meaning                                  | isFromServer | isModified | isActive |
 * |------------|------------------------------------------|--------------|------------|----------|
 * | synced     | as the server sent it                    | true         | false      | true     |
 * | added      | added here, not on the server yet        | false        | false      | true     |
 * | edited     | server record edited here                | true         | true       | true     |
 * | deleted    | server record deleted here (tombstone)   | true         | any        | false    |
 * | addDeleted | add in flight, deleted here meanwhile    | false        | false      | false    |
 *
 * Every state but `synced` is pending: the next sync sends it. A local write (`edited`, `deleted`, `reverted`,
 * `retried`) bumps `rev`, which is how a sync tells "changed while in flight", and clears `syncError`: the
 * write may be the fix. Which transition applies is the caller's decision (local-writes, attention-actions,
 * carry-pending-changes, apply-plan, mark-invalid); what it does to the flags is decided here only.
 */
export type RecordState = 'synced' | 'added' | 'edited' | 'deleted' | 'addDeleted'

type Flags = Pick<SyncMeta, 'isFromServer' | 'isModified' | 'isActive'>
type Meta = Flags & Pick<SyncMeta, 'rev' | 'syncError'>

/** The state the flags stand for. Flags outside the table (an add marked modified) read as the nearest state. */
export function stateOf(flags: Flags): RecordState {
  if (!flags.isActive) return flags.isFromServer ? 'deleted' : 'addDeleted'
  if (!flags.isFromServer) return 'added'
  return flags.isModified ? 'edited' : 'synced'
}

/** A change that the server does not have yet: an add, an edit of a server record, or a delete. */
export function isPending(flags: Flags): boolean {
  return !flags.isFromServer || flags.isModified || !flags.isActive
}

/** → added: the sync meta of a record created here, under a new local (negative) id. */
export function created(id: number): Pick<LocalRecord, 'id'> & SyncMeta {
  return { id, isFromServer: false, isModified: false, isActive: true, rev: 1, syncError: null }
}

/** → edited (an add stays added): the record with `changes` written on it. */
export function edited<R extends Meta>(record: R, changes: Record<string, unknown> = {}): R {
  return { ...record, ...changes, isModified: record.isFromServer, rev: record.rev + 1, syncError: null }
}

/** → deleted (a server record) or addDeleted (an add): a tombstone the next sync sends. */
export function deleted<R extends Meta>(record: R): R {
  return { ...record, isActive: false, rev: record.rev + 1, syncError: null }
}

/** deleted or edited → synced-looking: the local change undone; the next (full) sync brings the server's values. */
export function reverted<R extends Meta>(record: R): R {
  return { ...record, isModified: false, isActive: true, rev: record.rev + 1, syncError: null }
}

/** Same state, sent again: a refusal that no longer holds (its parent was fixed) is cleared. */
export function retried<R extends Meta>(record: R): R {
  return { ...record, rev: record.rev + 1, syncError: null }
}

/** Same state, refused: the server's (or this device's) reason why the change cannot go as it is. */
export function refused<R extends Meta>(record: R, syncError: NonNullable<SyncMeta['syncError']>): R {
  return { ...record, syncError }
}

/** → added, under a new local id: a record the server may have lost (deleted there) is sent again as new, uid and
 *  all (the server inserts it, or updates it in place if it still has that uid). `rev` and `syncError` are left to
 *  the caller, who knows whether the refusal still stands. */
export function readded<R extends Meta>(record: R, localId: number): R {
  return { ...record, id: localId, isFromServer: false, isModified: false }
}

/** → synced: a record as the server sent it (the response's flags), with no local history. */
export function fromServer<R extends Record<string, unknown>>(
  record: R,
): R & Pick<SyncMeta, 'rev' | 'syncError'> {
  return { ...record, rev: 0, syncError: null }
}

/** added/edited → synced: the server applied the change this record went out with, under `serverId`. Nothing is
 *  changed since the base any more (rule M1); the server's meta, when it sent it (rule G7), is the new base. */
export function acknowledged<R extends Meta & { id: number }>(
  record: R,
  serverId: number,
  meta?: ServerStamp,
): R {
  const synced = { ...record, id: serverId, isFromServer: true, isModified: false, changed: undefined }
  return meta ? withServerMeta(synced, meta) : synced
}

/** The server's stamp of a record's last write, as a write acknowledgement carries it (rule G7). */
export interface ServerStamp {
  createdAt: string
  updatedAt: string
  version: string
}

/** Same state, the server's stamp of a write it acknowledged (rule G7): `version` is the base of a later edit. */
export function withServerMeta<R extends Record<string, unknown>>(record: R, meta: ServerStamp): R {
  return { ...record, createdAt: meta.createdAt, updatedAt: meta.updatedAt, version: meta.version }
}

/** added → edited: the server created the record while it was changed again here; the change still goes. The
 *  server has the values sent, not which of them changed since: all of them go (`changed` unknown, rule M1). */
export function rebased<R extends Meta & { id: number }>(record: R, serverId: number): R {
  return { ...record, id: serverId, isFromServer: true, isModified: true, changed: undefined }
}

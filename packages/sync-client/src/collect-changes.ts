import { LIMITS, PROTOCOL_VERSION, type OneToManySpec } from '@offline-sync/sync-protocol'
import type { OutboxEntry } from './local-database.ts'
import type { StoredRecord } from './stored-record.ts'
import type { WireSyncRequest } from './transport.ts'

export interface CollectedChanges {
  request: WireSyncRequest
  /** uid → rev of every record the request covers (including child deletes implied by a parent delete). */
  sentRevs: OutboxEntry['sentRevs']
  /** Sendable changes that did not fit in this request: the app may sync again. */
  more: boolean
  /** Never-synced records deleted here whose add was never applied: nothing to send, remove them. */
  garbage: { parents: string[]; children: string[] }
}

/** Stay well under the server's body limit: field lengths are counted in UTF-16 units, JSON may escape more. */
const MAX_BYTES = Math.floor(LIMITS.maxBodyBytes * 0.6)
const RECORD_OVERHEAD_BYTES = 160

/**
 * Builds the next request from the pending records (the `_pending` index). Pure: the caller reads the records and
 * stores the result in the outbox in the same transaction. Records with a `syncError` wait for the user and are
 * left out, and so is a child whose new parent cannot be sent or whose parent the server deleted. A request holds
 * at most LIMITS.maxRecordsPerRequest records and about 60% of LIMITS.maxBodyBytes; parents go first so a child
 * never travels without the new parent it points at.
 */
export function collectChanges(
  spec: OneToManySpec,
  input: {
    deviceId: string
    syncId: string
    cursor: string | null
    parents: StoredRecord[]
    children: StoredRecord[]
    /**
     * Ids of parents the server is known to have deleted (kept here as ghosts, `syncError` `not_found`): their
     * children would only be refused `parent_not_found`, so they wait with the parent until the user re-creates
     * it or moves them (the attention list shows them under it).
     */
    deletedParentIds?: ReadonlySet<number>
    /** Ignore the per-request limits: everything sendable now, for showing it (listSendable), not for sending. */
    unlimited?: boolean
  },
): CollectedChanges {
  const { parent, child } = spec
  const parentKey = child.parentKey
  const parentFields = Object.keys(parent.fields)
  const childFields = [...Object.keys(child.fields), parentKey]
  const sentRevs: Record<string, number> = {}
  const garbage = { parents: [] as string[], children: [] as string[] }
  let count = 0
  let bytes = 0
  let more = false

  const fits = (record: StoredRecord, fields: string[]) => {
    const size =
      RECORD_OVERHEAD_BYTES + fields.reduce((n, f) => n + String(record[f] ?? '').length + f.length, 0)
    if (!input.unlimited && (count + 1 > LIMITS.maxRecordsPerRequest || bytes + size > MAX_BYTES)) {
      more = true
      return false
    }
    count += 1
    bytes += size
    return true
  }
  const wire = (record: StoredRecord, fields: string[]) => {
    const out: Record<string, unknown> = { id: record.id, uid: record.uid }
    for (const f of fields) out[f] = record[f] ?? null
    return out
  }
  /** Rules M1, M2: the base it was edited from and only the fields changed since (all, if an older build edited it). */
  const modified = (record: StoredRecord, fields: string[]) => {
    const changed = Array.isArray(record.changed) ? (record.changed as string[]) : fields
    const out: Record<string, unknown> = { id: record.id, uid: record.uid, base: baseOf(record) }
    for (const f of fields) if (changed.includes(f)) out[f] = record[f] ?? null
    return out
  }
  const deleted = (record: StoredRecord) => ({ id: record.id, uid: record.uid, base: baseOf(record) })

  const parents = {
    added: [] as Record<string, unknown>[],
    modified: [] as Record<string, unknown>[],
    deleted: [] as Record<string, unknown>[],
  }
  const deletedParentIds = new Set<number>()
  const addedParentIds = new Set<number>()
  for (const record of input.parents) {
    if (record.syncError) continue
    if (!record.isActive && !record.isFromServer) {
      garbage.parents.push(record.uid)
      continue
    }
    if (!fits(record, record.isActive ? parentFields : [])) continue
    sentRevs[record.uid] = record.rev
    if (!record.isActive) {
      parents.deleted.push(deleted(record))
      deletedParentIds.add(record.id)
    } else if (!record.isFromServer) {
      parents.added.push(wire(record, parentFields))
      addedParentIds.add(record.id)
    } else parents.modified.push(modified(record, parentFields))
  }

  const children = {
    added: [] as Record<string, unknown>[],
    modified: [] as Record<string, unknown>[],
    deleted: [] as Record<string, unknown>[],
  }
  for (const record of input.children) {
    if (record.syncError) continue
    if (!record.isActive && !record.isFromServer) {
      garbage.children.push(record.uid)
      continue
    }
    const ref = record[parentKey]
    if (!record.isActive) {
      // The server deletes a parent's children with it: sending them too would only earn `already_deleted`.
      // Only for an unmodified child, whose parent key is the server's; one moved here must say so itself.
      if (!record.isModified && typeof ref === 'number' && deletedParentIds.has(ref)) {
        sentRevs[record.uid] = record.rev
        continue
      }
      if (!fits(record, [])) continue
      sentRevs[record.uid] = record.rev
      children.deleted.push(deleted(record))
      continue
    }
    // A new parent must travel in the same request; if it cannot (refused, or over the limit), the child waits.
    if (typeof ref === 'number' && ref < 0 && !addedParentIds.has(ref)) continue
    if (typeof ref === 'number' && input.deletedParentIds?.has(ref)) continue
    if (!fits(record, childFields)) continue
    sentRevs[record.uid] = record.rev
    if (!record.isFromServer) children.added.push(wire(record, childFields))
    else children.modified.push(modified(record, childFields))
  }

  const request = {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: input.deviceId,
    syncId: input.syncId,
    cursor: input.cursor,
    [parent.plural]: parents,
    [child.plural]: children,
  }
  return { request, sentRevs, more, garbage }
}

/** The server version the record was last received at; "0" (saw nothing) for one that lacks it. */
const baseOf = (record: StoredRecord): string => (typeof record.version === 'string' ? record.version : '0')

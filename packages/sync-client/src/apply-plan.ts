import {
  responseParts,
  type AnyRecord,
  type OneToManySpec,
  type Rejection,
  type SyncResponse,
  type WriteAck,
} from '@offline-sync/sync-protocol'
import type { OutboxEntry } from './local-database.ts'
import { acknowledged, fromServer, rebased, refused, withServerMeta } from './record-states.ts'
import { fromStored, sortFieldOf, sortKey, toStored, type StoredRecord } from './stored-record.ts'

/**
 * The pure half of applying a response: what becomes of each record, decided from the response and the records
 * read in the apply transaction, without touching the database. apply-response.ts does the reads and the writes
 * (delta: one transaction; full: in chunks), and both modes hand their decisions to one writer.
 */

export type ServerRecord = AnyRecord

/** A validated response, read once into what the apply needs. */
export interface ResponsePlan {
  serverParents: ServerRecord[]
  serverChildren: ServerRecord[]
  removed: Record<string, number[]>
  parentMap: Record<string, number>
  childMap: Record<string, number>
  rejections: Map<string, Rejection>
  /** Rule G7: uid → the acknowledgement of a record this sync wrote, sent without its fields. */
  acks: { parents: Map<string, WriteAck>; children: Map<string, WriteAck> }
  at: string
  total: number
}

/** What becomes of the pending records of one table: rewritten, deleted, or given way to the server's record. */
export interface SettledTable {
  puts: StoredRecord[]
  drops: string[]
  server: string[]
}

export interface Settled {
  parents: SettledTable
  children: SettledTable
}

export function planResponse(
  spec: OneToManySpec,
  response: SyncResponse<OneToManySpec>,
  at: string,
): ResponsePlan {
  const parts = responseParts(spec, response)
  const rejections = new Map<string, Rejection>()
  for (const r of parts.rejected) rejections.set(`${r.entity}:${r.uid}`, r)
  return {
    serverParents: parts.parents,
    serverChildren: parts.children,
    removed: { [spec.parent.plural]: parts.removed.parents, [spec.child.plural]: parts.removed.children },
    parentMap: parts.parentIdMap,
    childMap: parts.childIdMap,
    rejections,
    acks: {
      parents: new Map(parts.written.parents.map((a) => [a.uid, a])),
      children: new Map(parts.written.children.map((a) => [a.uid, a])),
    },
    at,
    total: parts.parents.length + parts.children.length,
  }
}

/** A server record as stored: clean, no `_pending`, and `_sort` set on the fresh object (no second spread). */
export function serverRow(r: ServerRecord, sortField: string): StoredRecord {
  const row = fromServer(r) as StoredRecord
  row._sort = sortKey(r[sortField])
  return row
}

/** The refusal a ghost parent carries: what the attention list shows as its reason. */
export const DELETED_ELSEWHERE = 'deleted on the server by someone else'

/**
 * Of `candidates` (the parents that settled, active children point at), those the server deleted (`isGone`) and
 * that are not pending themselves, kept as ghosts: clean server records with their fields, marked `syncError`
 * `not_found` (see apply-response.ts ghostParents for why).
 */
export function planGhosts(
  spec: OneToManySpec,
  candidates: StoredRecord[],
  isGone: (record: StoredRecord) => boolean,
  at: string,
): StoredRecord[] {
  return candidates
    .filter((r) => r._pending === undefined && r.isActive && isGone(r))
    .map((r) =>
      toStored(
        refused(fromStored(r), { code: 'not_found', reason: DELETED_ELSEWHERE, at }),
        sortFieldOf(spec.parent),
      ),
    )
}

/** The server ids the settled active children point at: the parents that may have to stay as ghosts. */
export function ghostCandidateIds(spec: OneToManySpec, settled: Settled): number[] {
  const refs = new Set<number>()
  for (const kid of settled.children.puts) {
    const ref = kid[spec.child.parentKey]
    if (kid.isActive && typeof ref === 'number' && ref > 0) refs.add(ref)
  }
  return [...refs]
}

/** Settles every pending record of both tables (see `settle`), mapping children's parent ids through the map. */
export function settleAll(
  spec: OneToManySpec,
  entry: OutboxEntry,
  p: ResponsePlan,
  pendingParents: StoredRecord[],
  pendingChildren: StoredRecord[],
): Settled {
  const { parent, child } = spec
  const parentKey = child.parentKey
  const one = (
    entity: string,
    records: StoredRecord[],
    idMap: Record<string, number>,
    returned: ServerRecord[],
    acks: Map<string, WriteAck>,
  ): SettledTable => {
    const returnedByUid = new Map(returned.map((r) => [r.uid, r]))
    const returnedUids = new Set(returnedByUid.keys())
    const fields = Object.keys((entity === parent.name ? parent : child).fields)
    if (entity === child.name) fields.push(parentKey)
    const puts: StoredRecord[] = []
    const drops: string[] = []
    const server: string[] = []
    for (const record of records) {
      const ack = acks.get(record.uid)
      const outcome = settle(record, {
        sentRev: entry.sentRevs[record.uid],
        rejection: p.rejections.get(`${entity}:${record.uid}`),
        mappedId: record.id < 0 ? idMap[String(record.id)] : undefined,
        returned: returnedUids.has(record.uid),
        ack,
        at: p.at,
      })
      if (outcome === 'drop') drops.push(record.uid)
      else if (outcome === 'server') server.push(record.uid)
      else {
        rebaseOnto(outcome, returnedByUid.get(record.uid), fields)
        // Rule G7: written by this sync and changed again since: the server's meta becomes its base.
        if (ack && outcome.id === ack.id) Object.assign(outcome, withServerMeta(outcome, ack))
        const ref = outcome[parentKey]
        if (
          entity === child.name &&
          typeof ref === 'number' &&
          ref < 0 &&
          p.parentMap[String(ref)] !== undefined
        ) {
          outcome[parentKey] = p.parentMap[String(ref)]
        }
        puts.push(toStored(outcome, sortFieldOf(entity === parent.name ? parent : child)))
      }
    }
    return { puts, drops, server }
  }
  return {
    parents: one(parent.name, pendingParents, p.parentMap, p.serverParents, p.acks.parents),
    children: one(child.name, pendingChildren, p.childMap, p.serverChildren, p.acks.children),
  }
}

/**
 * Rule M1 on the device: a pending edit the server's newer record came back for is moved onto it: the fields the
 * device changed keep its values, every other field and the base (`version`) become the server's. An edit whose
 * changed fields are unknown (edited by an older build) keeps its values: they all go as changed.
 */
function rebaseOnto(record: StoredRecord, server: ServerRecord | undefined, fields: string[]): void {
  if (!server || !record.isActive || !record.isModified || server.id !== record.id) return
  if (!Array.isArray(record.changed)) return
  const changed = new Set(record.changed as string[])
  for (const f of fields) if (!changed.has(f)) record[f] = server[f] ?? null
  record.version = server.version as string
}

/**
 * What becomes of one pending local record once the response is in:
 * - 'server': the server's record (already written) stands;
 * - 'drop': the record is deleted here;
 * - a record: written on top of the server data.
 *
 * A change is "covered" when the record went out in this request and has not been written since (same rev).
 * Covered and applied → the server's version stands (a delete is dropped). Covered and rejected → kept as it is,
 * with `syncError`, except `already_deleted`, which needs nobody's attention. Not covered (created, edited or
 * deleted while the request was in flight, refused earlier, or left for the next batch) → rebased: kept pending,
 * its id mapped if the server created it (it becomes a server record carrying local edits).
 */
export function settle(
  record: StoredRecord,
  ctx: {
    sentRev: number | undefined
    rejection: Rejection | undefined
    mappedId: number | undefined
    returned: boolean
    /** Rule G7: the server's acknowledgement of this record's write, sent in place of the record. */
    ack?: WriteAck | undefined
    at: string
  },
): 'server' | 'drop' | StoredRecord {
  const covered = ctx.sentRev !== undefined && ctx.sentRev === record.rev
  if (covered) {
    if (ctx.rejection) {
      if (ctx.rejection.code === 'already_deleted') return 'drop'
      return refused(record, { code: ctx.rejection.code, reason: ctx.rejection.reason, at: ctx.at })
    }
    // Returned means the server still has it (e.g. a delete implied by its parent's, of a child the server had
    // moved elsewhere meanwhile): its record stands, even for a delete.
    if (ctx.returned) return 'server'
    if (!record.isActive) return 'drop'
    const serverId = ctx.mappedId ?? (record.id > 0 ? record.id : undefined)
    // An add the server neither mapped nor refused breaks the contract: keep it pending (uids make a resend safe).
    if (serverId === undefined) return record
    // Not returned: in a delta, the server holds what was sent (rule G7 acknowledges it with its meta); in a full
    // download, a later page brings it, or the end of the download removes it (deleted there after our write, G9).
    return acknowledged(record, serverId, ctx.ack)
  }
  if (ctx.mappedId !== undefined) return rebased(record, ctx.mappedId)
  // Deleted here before the server ever created it: nothing left to tell the server.
  if (!record.isFromServer && !record.isActive) return 'drop'
  return record
}

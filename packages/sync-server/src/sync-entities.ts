import { fieldNames, type ChildSpec, type EntitySpec } from '@offline-sync/sync-protocol'
import type { LooseChangeSet, RecordRef, WireRecord, WriteContext } from './change-set.ts'
import type { EntitySql } from './sql/entity-sql.ts'
import { reasons } from './rejection-reasons.ts'
import { acknowledge, mergeModified, reportDeletesOverEdits, type DeletedRow } from './field-merge.ts'

/*
 * Name mapping to the OutSystems "Read/Write Data One-to-Many" offline sync pattern (not in this repository):
 *   syncParents  = SyncCompanies  (create added + id dictionary, update modified, delete deleted)
 *   syncChildren = SyncContacts   (same, for records whose parent key was remapped by ServerDataSync)
 * Unlike the seed, each list is ONE statement (no per-record round trips) and nothing is issued for an empty
 * list. "Retrieve all records" is done once at the end, in read-back.ts.
 */

/** One entity's declaration together with its statements. */
export interface EntityTable {
  readonly spec: EntitySpec
  readonly sql: EntitySql
  /** Child tables only: the column holding the parent id. */
  readonly parentKey?: string
}

export interface ParentOutcome {
  /** Local (negative) id → server id of every added parent, new or recognised by uid. */
  readonly idMap: Map<number, number>
  /** Server ids of parents that exist after this sync's writes (added, or modified successfully). */
  readonly known: Set<number>
  /** Parents deleted by this request: id → label for reasons ("Acme Ltd"). */
  readonly deleted: Map<number, string | null>
  /** Children removed because their parent was deleted in this request; they count as applied. */
  readonly cascadedChildren: Set<number>
}

/** syncParents = the seed's SyncCompanies. */
export async function syncParents(
  ctx: WriteContext,
  parent: EntityTable,
  child: EntityTable,
  deleteChildrenOf: string,
  changes: LooseChangeSet,
): Promise<ParentOutcome> {
  const idMap = await upsertAdded(ctx, parent, changes.added)
  const updated = await mergeModified(ctx, parent, parent.spec.plural, changes.modified, (r) =>
    changes.modified.indexOf(r),
  )
  for (const record of changes.modified) {
    if (!updated.has(record.id))
      reject(ctx, parent.spec, record, 'not_found', reasons.modifiedButGone(parent.spec, record))
  }

  // Children first and explicitly, so each gets a tombstone; the FK cascade would delete them silently.
  const cascadedChildren = new Set<number>()
  const deleted = new Map<number, string | null>()
  if (changes.deleted.length > 0) {
    const refs = JSON.stringify(changes.deleted.map(ref))
    for (const row of await ctx.tx.query<{ id: number }>(deleteChildrenOf, [refs]))
      cascadedChildren.add(row.id)
    const rows = await ctx.tx.query<DeletedRow>(parent.sql.deleteByRef, [refs])
    for (const row of rows) deleted.set(row.id, row.label)
    reportDeletesOverEdits(ctx, parent, parent.spec.plural, changes.deleted, rows)
    tombstone(ctx, child.spec, cascadedChildren)
    tombstone(ctx, parent.spec, deleted.keys())
    for (const record of changes.deleted) {
      if (!deleted.has(record.id))
        reject(ctx, parent.spec, record, 'already_deleted', reasons.deletedButGone(parent.spec))
    }
  }
  return { idMap, known: new Set([...idMap.values(), ...updated]), deleted, cascadedChildren }
}

/**
 * syncChildren = the seed's SyncContacts. `changes` must already be remapped (ServerDataSync step 2): every
 * parent key is a server id, or a negative id that could not be mapped (treated as a missing parent).
 */
export async function syncChildren(
  ctx: WriteContext,
  child: EntityTable & { readonly spec: ChildSpec; readonly parentKey: string },
  parent: EntityTable,
  parents: ParentOutcome,
  changes: LooseChangeSet,
): Promise<Map<number, number>> {
  const parentKey = child.parentKey
  const existing = await existingParents(
    ctx,
    parent,
    parents,
    [...changes.added, ...changes.modified],
    parentKey,
  )
  const underExistingParent = (record: WireRecord) => {
    const parentId = record[parentKey] as number | undefined
    // A modify that does not move the child leaves its parent key out (rule M1).
    if (parentId === undefined || existing.has(parentId)) return true
    const reason = reasons.parentGone(
      child.spec,
      record,
      parent.spec,
      parentId,
      deletedHere(parents, parentId),
    )
    reject(ctx, child.spec, record, 'parent_not_found', reason)
    return false
  }
  const added = changes.added.filter(underExistingParent)
  const modified = changes.modified.filter(underExistingParent)

  const idMap = await upsertAdded(ctx, child, added)
  const updated = await mergeModified(ctx, child, child.spec.plural, modified, (r) =>
    changes.modified.indexOf(r),
  )
  for (const record of modified) {
    if (!updated.has(record.id))
      reject(ctx, child.spec, record, 'not_found', reasons.modifiedButGone(child.spec, record))
  }

  if (changes.deleted.length > 0) {
    const rows = await ctx.tx.query<DeletedRow>(child.sql.deleteByRef, [
      JSON.stringify(changes.deleted.map(ref)),
    ])
    reportDeletesOverEdits(ctx, child, child.spec.plural, changes.deleted, rows)
    const deleted = new Set(rows.map((r) => r.id))
    tombstone(ctx, child.spec, deleted)
    for (const record of changes.deleted) {
      // Already removed with its parent earlier in this request: the device's intent holds, nothing to report.
      if (deleted.has(record.id) || parents.cascadedChildren.has(record.id)) continue
      reject(ctx, child.spec, record, 'already_deleted', reasons.deletedButGone(child.spec))
    }
  }
  return idMap
}

/**
 * Which parent ids referenced by these children exist. Parents this sync just added or updated are known to
 * exist; the rest are looked up in one statement. Writers are serialised, so the answer holds until commit.
 */
async function existingParents(
  ctx: WriteContext,
  parent: EntityTable,
  parents: ParentOutcome,
  children: readonly WireRecord[],
  parentKey: string,
): Promise<Set<number>> {
  const existing = new Set<number>()
  const unknown = new Set<number>()
  for (const record of children) {
    const id = record[parentKey] as number | undefined
    if (id === undefined) continue
    if (parents.known.has(id)) existing.add(id)
    else if (id > 0) unknown.add(id)
  }
  if (unknown.size > 0) {
    const rows = await ctx.tx.query<{ id: number }>(parent.sql.existingIds, [JSON.stringify([...unknown])])
    for (const row of rows) existing.add(row.id)
  }
  return existing
}

/** Added records → one statement: update the uids that exist, insert the rest (entity-sql.ts). Returns local id → server id. */
async function upsertAdded(ctx: WriteContext, table: EntityTable, records: readonly WireRecord[]) {
  const idMap = new Map<number, number>()
  if (records.length === 0) return idMap
  const names = writableNames(table)
  const rows = records.map((record, ord) => writableRow(names, record, { ord, uid: record.uid }))
  const returned = await ctx.tx.query<{ id: number; uid: string }>(table.sql.upsertAdded, [
    JSON.stringify(rows),
    ctx.version,
  ])
  // RETURNING order is not guaranteed: join back on uid, which is unique in the table and in the request.
  const serverIdByUid = new Map(returned.map((row) => [row.uid.toLowerCase(), row.id]))
  for (const record of records) {
    const serverId = serverIdByUid.get(record.uid.toLowerCase())
    if (serverId === undefined)
      throw new Error(`${table.spec.name} ${record.uid} was not returned by its insert`)
    idMap.set(record.id, serverId)
  }
  // An add writes every field: the device holds the row whole (rule G7).
  acknowledge(ctx, table, [...idMap.values()])
  return idMap
}

/** Only declared fields (and the parent key) reach SQL; they are parameters inside the json, never SQL text. */
function writableNames(table: EntityTable): string[] {
  const names = fieldNames(table.spec)
  return table.parentKey ? [...names, table.parentKey] : names
}

/** Adds the writable values of `record` to `row` (built once per record: this runs for every record sent). */
function writableRow(names: readonly string[], record: WireRecord, row: Record<string, unknown>) {
  for (const name of names) row[name] = record[name] ?? null
  return row
}

const ref = (record: RecordRef): RecordRef => ({ id: record.id, uid: record.uid })

function deletedHere(parents: ParentOutcome, parentId: number): { label: string | null } | undefined {
  return parents.deleted.has(parentId) ? { label: parents.deleted.get(parentId) ?? null } : undefined
}

function tombstone(ctx: WriteContext, entity: EntitySpec, ids: Iterable<number>) {
  for (const id of ids) ctx.tombstones.push({ entity: entity.table, id })
}

function reject(
  ctx: WriteContext,
  entity: EntitySpec,
  record: RecordRef,
  code: 'not_found' | 'already_deleted' | 'parent_not_found',
  reason: string,
) {
  ctx.rejected.push({ entity: entity.name, id: record.id, uid: record.uid, code, reason })
}

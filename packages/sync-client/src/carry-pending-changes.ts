import type { EntitySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase } from './local-database.ts'
import { declaredValues, takeLocalId } from './local-writes.ts'
import { fromStored, sortFieldOf, toStored, type StoredRecord } from './stored-record.ts'
import { deleted, edited, isPending } from './record-states.ts'

/** How many records `carryPendingChanges` wrote into the target, by table. */
export interface CarriedChanges {
  parents: number
  children: number
}

/**
 * Carries the unsent changes of one local database into another of the same declaration: for an app that finds two
 * copies of a device's data and must merge them without losing work (the web app's pre-accounts database found
 * beside an account's own). Records are matched by uid, never by id, because the local (negative) ids of two
 * databases overlap. Rules, per pending record of `source`:
 *
 * - the target has its own pending change of it: the target's stays (it was written later, by the target's user);
 * - the target has it as the server sent it: the source's delete, or its fields when they differ, become the
 *   target's change (an add that already reached the server, uid and all, is an edit of it or nothing);
 * - the target lacks it: it is added, a server id kept, a local id renumbered from the target's counter; a child
 *   follows its parent's new id. A child's unchanged parent comes with it when the target lacks it (a ghost
 *   parent, deleted on the server and kept for its children, among them), and the target's next sync is full.
 *
 * Resends are safe because the server applies adds exactly once by uid. One transaction on the target: all or
 * nothing. The source is only read; clearing or deleting it is the caller's move, once this has resolved.
 */
export async function carryPendingChanges(
  source: LocalDatabase,
  target: LocalDatabase,
): Promise<CarriedChanges> {
  const { parent, child } = target.spec
  const parentKey = child.parentKey
  const [parents, children, ghostList] = await source.transaction(
    'r',
    [source.parents, source.children, source.meta],
    async () => {
      const pendingParents = await source.parents.where('_pending').equals(1).toArray()
      const pendingChildren = await source.children.where('_pending').equals(1).toArray()
      // The unchanged parents of pending children come too: the target may not hold them (deleted on the server
      // since its last sync, or a ghost kept for them), and the children's details page needs them.
      const have = new Set(pendingParents.map((r) => r.id))
      const refs = [...new Set(pendingChildren.map((r) => r[parentKey]))].filter(
        (id): id is number => typeof id === 'number' && !have.has(id),
      )
      const unchanged = await source.parents.where('id').anyOf(refs).toArray()
      const listed = (await source.meta.get('ghostParents'))?.value
      return [
        [...pendingParents, ...unchanged],
        pendingChildren,
        Array.isArray(listed) ? (listed as string[]) : [],
      ]
    },
  )

  return target.transaction('rw', [target.parents, target.children, target.meta], async () => {
    const carried: CarriedChanges = { parents: 0, children: 0 }
    /** Source parent id → the target's id of the same record (by uid). */
    const parentIds = new Map<number, number>()
    let unchangedCarried = false
    for (const record of parents) {
      const { id, wrote } = await carryOne(target, target.parents, parent, record, [])
      if (id !== undefined) parentIds.set(record.id, id)
      if (wrote) carried.parents++
      if (wrote && !isPending(record)) unchangedCarried = true
    }
    for (const record of children) {
      const ref = record[parentKey]
      const unmapped = typeof ref === 'number' && ref < 0 && !parentIds.has(ref)
      // A local parent id means nothing in the target: it must map through the parent's uid. A delete needs no
      // parent (only its id and uid are sent), and its parent may be an add deleted before it was sent, which
      // is not carried; it must not point at whichever target record has that local id. Writes keep every
      // active child's parent in the source, so an active one without it is a broken source, not a case to guess.
      if (unmapped && record.isActive)
        throw new Error(
          `${child.name} ${record.uid} refers to ${parent.name} ${ref}, which the source does not hold`,
        )
      const mapped = unmapped ? null : typeof ref === 'number' ? (parentIds.get(ref) ?? ref) : ref
      const moved = { ...record, [parentKey]: mapped }
      if ((await carryOne(target, target.children, child, moved, [parentKey])).wrote) carried.children++
    }
    // A server record the target had not got may be one the server has deleted since (a delta sync would never say
    // so): the next sync is full, which settles it, or keeps it as a ghost while children need it.
    if (unchangedCarried) await target.meta.put({ key: 'refresh', value: true })
    const ghostUids = ghostList.filter((uid) => parents.some((r) => r.uid === uid))
    if (ghostUids.length > 0) {
      const listed = (await target.meta.get('ghostParents'))?.value
      const mine = Array.isArray(listed) ? (listed as string[]) : []
      await target.meta.put({ key: 'ghostParents', value: [...new Set([...mine, ...ghostUids])] })
    }
    return carried
  })
}

/** Carries one record by the rules above; resolves the target's id of it (undefined: not there) and whether it wrote. */
async function carryOne(
  target: LocalDatabase,
  table: LocalDatabase['parents'],
  entity: EntitySpec,
  record: StoredRecord,
  extraFields: string[],
): Promise<{ id: number | undefined; wrote: boolean }> {
  const sortField = sortFieldOf(entity)
  const existing = await table.get(record.uid)
  // An unchanged parent (a ghost, say) is no change of the user's: it only has to be there for its children.
  if (existing && (isPending(existing) || !isPending(record))) return { id: existing.id, wrote: false }
  if (existing) {
    const values = { ...declaredValues(entity, record), ...pick(record, extraFields) }
    // `existing` is as the server sent it (pending ones returned above): the source's change becomes its own.
    let next: StoredRecord | null = null
    if (!record.isActive) next = deleted(existing)
    else if (Object.entries(values).some(([k, v]) => existing[k] !== v)) next = edited(existing, values)
    if (!next) return { id: existing.id, wrote: false }
    await table.put(toStored(fromStored(next), sortField))
    return { id: existing.id, wrote: true }
  }
  // An add deleted before it reached the server: there is nothing to carry.
  if (!record.isActive && !record.isFromServer) return { id: undefined, wrote: false }
  const id = record.id < 0 ? await takeLocalId(target) : record.id
  await table.put(toStored({ ...fromStored(record), id }, sortField))
  return { id, wrote: true }
}

function pick(record: StoredRecord, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, record[f]]))
}

import { checkRecord, type OneToManySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase, LocalRecord } from './local-database.ts'
import {
  createLocalWrites,
  declaredValues,
  LocalRecordNotFoundError,
  LocalValidationError,
  takeLocalId,
} from './local-writes.ts'
import { fromStored, sortFieldOf, toStored, type StoredRecord } from './stored-record.ts'
import { edited, readded, refused, retried } from './record-states.ts'

/**
 * One thing on the device that the next sync cannot settle by itself:
 * - `refused`: a record whose change the server refused (`syncError`), its parent being fine;
 * - `orphans`: the children that point at one parent id the server will not accept — a parent deleted on the
 *   server (gone from this device, or still here — kept as a ghost with its fields, or with a refused edit —
 *   marked `parent.syncError.code === 'not_found'`)
 *   or a new parent that is itself refused. `parent` is the local record when there still is one.
 */
export type AttentionEntry =
  | { kind: 'refused'; entity: string; record: LocalRecord }
  | { kind: 'orphans'; parentId: number; parent: LocalRecord | null; children: LocalRecord[] }

/** Refusal codes that say "the server does not have this (any more)": the cure is to send it as new. */
const GONE = new Set(['not_found', 'parent_not_found'])

/**
 * The one-tap answers to the attention list, generic over the declaration. Each action is ONE Dexie transaction
 * over both tables, the outbox and meta, leaves the sync flags right (see local-database.ts) and leaves nothing
 * that the next sync would send only to be refused again. A record the server may have lost is sent as an add
 * with its own uid: the server inserts it, or — if it still has that uid — updates it in place.
 */
export function createAttentionActions(db: LocalDatabase, spec: OneToManySpec) {
  const { parent, child } = spec
  const parentKey = child.parentKey
  const writes = createLocalWrites(db, spec)
  const tx = <T>(fn: () => Promise<T>) =>
    db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], fn)
  const storeParent = (r: LocalRecord) => toStored(r, sortFieldOf(parent))
  const storeChild = (r: LocalRecord) => toStored(r, sortFieldOf(child))

  /** A parent the server will refuse children under: missing or deleted here, or deleted on the server. */
  const isGoneParent = (p: StoredRecord | undefined) => !p || !p.isActive || p.syncError?.code === 'not_found'

  /**
   * A child re-pointed at `toId`, with its refusal cleared unless the refusal was about its own fields
   * (`invalid` still needs a fix). If the server may have lost it, it becomes an add (new negative id).
   */
  async function repoint(kid: StoredRecord, toId: number, serverMayLackIt: boolean): Promise<StoredRecord> {
    const asAdd =
      kid.isFromServer && (serverMayLackIt || (kid.syncError !== null && GONE.has(kid.syncError.code)))
    const moved = { ...fromStored(kid), [parentKey]: toId }
    const next = asAdd ? retried(readded(moved, await takeLocalId(db))) : edited(moved)
    return storeChild(kid.syncError?.code === 'invalid' ? refused(next, kid.syncError) : next)
  }

  /** Re-points every active child of `fromId` at `toId`; drops the tombstones the server already cascaded. */
  async function moveAllChildren(fromId: number, toId: number, fromGone: boolean): Promise<number> {
    const kids = await db.children.where(parentKey).equals(fromId).toArray()
    const sent = (await db.outbox.get('current'))?.sentRevs ?? {}
    const puts: StoredRecord[] = []
    const drops: string[] = []
    for (const kid of kids) {
      if (kid.isActive) puts.push(await repoint(kid, toId, fromGone))
      // A delete under a parent the server deleted is already done there; one in flight settles by itself.
      else if (fromGone && sent[kid.uid] === undefined) drops.push(kid.uid)
    }
    await db.children.bulkPut(puts)
    await db.children.bulkDelete(drops)
    return puts.length
  }

  /**
   * Drops the local copy of a parent kept only as a ghost (deleted on the server, unchanged here: see
   * apply-response.ts ghostParents) once no active child points at it: nothing of the user's is left in it.
   */
  async function dropEmptyGhost(parentId: number): Promise<void> {
    const ghost = await db.parents.where('id').equals(parentId).first()
    if (!ghost || ghost._pending !== undefined || ghost.syncError?.code !== 'not_found') return
    const kids = await db.children.where(parentKey).equals(parentId).toArray()
    if (kids.some((k) => k.isActive)) return
    await db.parents.delete(ghost.uid)
    await db.children.bulkDelete(kids.map((k) => k.uid))
  }

  /** The parent a move or re-creation targets: it has to be one the server will accept children under. */
  async function targetParent(uid: string): Promise<StoredRecord> {
    const target = await db.parents.get(uid)
    if (!target?.isActive) throw new LocalRecordNotFoundError(parent.name, uid)
    if (target.syncError) {
      throw new Error(
        `${parent.name} "${String(target[sortFieldOf(parent)] ?? uid)}" is itself refused: fix it first`,
      )
    }
    return target
  }

  /**
   * Re-creates a parent the server deleted (refused `not_found`) as a new local add with the same uid and
   * fields (`fields` may change some), and re-points its children at it. Resolves the new record.
   */
  async function recreateParent(uid: string, fields: Record<string, unknown> = {}): Promise<LocalRecord> {
    const changes = declaredValues(parent, fields, { onlyPresent: true })
    return tx(async () => {
      const old = await db.parents.get(uid)
      if (!old?.isActive) throw new LocalRecordNotFoundError(parent.name, uid)
      if (!old.isFromServer)
        throw new Error(`${parent.name} ${uid} is not on the server yet: nothing to re-create`)
      const values = { ...fromStored(old), ...changes }
      const errors = checkRecord(parent, values)
      if (Object.keys(errors).length > 0) throw new LocalValidationError(errors)
      // `old` is active, so the re-created record is an add (same uid) with the old one's fields.
      const record: LocalRecord = retried(readded(values, await takeLocalId(db)))
      await db.parents.put(storeParent(record))
      await moveAllChildren(old.id, record.id, true)
      return record
    })
  }

  return {
    /**
     * Everything needing the user, read-only (safe in a live query): refused records, and the children grouped by
     * the parent id that keeps them from syncing. Reads the `_pending` index only.
     */
    async list(): Promise<AttentionEntry[]> {
      const [parents, children] = await Promise.all([
        db.parents.where('_pending').equals(1).toArray(),
        db.children.where('_pending').equals(1).toArray(),
      ])
      const groups = new Map<number, { parent: LocalRecord | null; children: LocalRecord[] }>()
      const entries: AttentionEntry[] = []
      for (const p of parents) {
        if (p.syncError?.code === 'not_found' && p.isActive)
          groups.set(p.id, { parent: fromStored(p), children: [] })
        else if (p.syncError) entries.push({ kind: 'refused', entity: parent.name, record: fromStored(p) })
      }
      const refs = [...new Set(children.filter((c) => c.isActive).map((c) => c[parentKey] as number))]
      const parentsById = new Map<number, StoredRecord>()
      for (const p of await db.parents.where('id').anyOf(refs).toArray()) parentsById.set(p.id, p)
      for (const c of children) {
        if (!c.isActive) {
          if (c.syncError) entries.push({ kind: 'refused', entity: child.name, record: fromStored(c) })
          continue
        }
        const ref = c[parentKey] as number
        const p = parentsById.get(ref)
        const blocked = isGoneParent(p) || c.syncError?.code === 'parent_not_found'
        if (!blocked) {
          if (c.syncError) entries.push({ kind: 'refused', entity: child.name, record: fromStored(c) })
          continue
        }
        const group = groups.get(ref) ?? { parent: p ? fromStored(p) : null, children: [] }
        group.children.push(fromStored(c))
        groups.set(ref, group)
      }
      for (const [parentId, group] of groups) entries.push({ kind: 'orphans', parentId, ...group })
      return entries
    },

    /**
     * Moves children to the active parent `toParentUid`: every active child of the parent id `from.parentId`, or
     * the children `from.childUids`. Refusals about the parent are cleared; a child the server may have lost with
     * its parent is sent as an add. Resolves the number moved. Rejects (nothing written) when the target is
     * missing, deleted or itself refused.
     */
    async moveChildren(
      from: { parentId: number } | { childUids: string[] },
      toParentUid: string,
    ): Promise<number> {
      return tx(async () => {
        const target = await targetParent(toParentUid)
        if ('parentId' in from) {
          const source = await db.parents.where('id').equals(from.parentId).first()
          const moved = await moveAllChildren(from.parentId, target.id, isGoneParent(source))
          await dropEmptyGhost(from.parentId)
          return moved
        }
        const kids = (await db.children.bulkGet(from.childUids)).filter(
          (k): k is StoredRecord => !!k?.isActive,
        )
        const puts: StoredRecord[] = []
        const sources = new Set<number>()
        for (const kid of kids) {
          sources.add(kid[parentKey] as number)
          const source = await db.parents
            .where('id')
            .equals(kid[parentKey] as number)
            .first()
          puts.push(await repoint(kid, target.id, isGoneParent(source)))
        }
        await db.children.bulkPut(puts)
        for (const id of sources) await dropEmptyGhost(id)
        return puts.length
      })
    },

    recreateParent,

    /**
     * For children whose parent is gone from this device too: creates a new parent from `fields` and moves every
     * active child of `parentId` under it. Resolves the new parent.
     */
    async recreateMissingParent(parentId: number, fields: Record<string, unknown>): Promise<LocalRecord> {
      return tx(async () => {
        const existing = await db.parents.where('id').equals(parentId).first()
        if (existing?.isActive)
          throw new Error(`${parent.name} ${parentId} is still on this device: re-create it instead`)
        const record = await writes.create(parent.name, fields)
        await moveAllChildren(parentId, record.id, true)
        return record
      })
    },

    /**
     * Sends a refused record again as new: for a record deleted on the server by another device (`not_found`),
     * whose parent is fine. A parent goes through recreateParent (its children follow).
     */
    async recreate(entity: string, uid: string): Promise<LocalRecord> {
      if (entity === parent.name) return recreateParent(uid)
      return tx(async () => {
        const kid = await db.tableOf(entity).get(uid)
        if (!kid?.isActive) throw new LocalRecordNotFoundError(entity, uid)
        const owner = await db.parents
          .where('id')
          .equals(kid[parentKey] as number)
          .first()
        if (isGoneParent(owner))
          throw new Error(`the ${parent.name} of this ${child.name} is gone: move it first`)
        const record = await repoint(kid, kid[parentKey] as number, true)
        await db.children.put(record)
        return fromStored(record)
      })
    },

    /** Saves the fix of a record refused as `invalid`; the next sync sends it (see LocalWrites.update). */
    async resolveFixed(entity: string, uid: string, patch: Record<string, unknown>): Promise<LocalRecord> {
      return writes.update(entity, uid, patch)
    },

    /**
     * Throws away the children held by `parentId` (each as LocalWrites.discard does) and the local copy of that
     * parent if the server deleted it. Resolves the number of records discarded.
     */
    async discardOrphans(parentId: number): Promise<number> {
      return tx(async () => {
        const kids = await db.children.where(parentKey).equals(parentId).toArray()
        let count = 0
        for (const kid of kids) {
          if (!kid.isActive) continue
          await writes.discard(child.name, kid.uid)
          count += 1
        }
        const owner = await db.parents.where('id').equals(parentId).first()
        if (owner?.syncError?.code === 'not_found') {
          await writes.discard(parent.name, owner.uid)
          count += 1
        }
        return count
      })
    },
  }
}

export type AttentionActions = ReturnType<typeof createAttentionActions>

import type { OneToManySpec } from '@offline-sync/sync-protocol'
import { collectChanges } from './collect-changes.ts'
import type { LocalDatabase, LocalRecord } from './local-database.ts'
import { fromStored } from './stored-record.ts'

/**
 * What collectChanges needs: the pending records, and which parents their active children point at that the
 * server deleted (ghosts: apply-response.ts ghostParents, or a refused edit of a company deleted there).
 */
export async function readPending(db: LocalDatabase, spec: OneToManySpec) {
  const parents = await db.parents.where('_pending').equals(1).toArray()
  const children = await db.children.where('_pending').equals(1).toArray()
  const refs = new Set<number>()
  for (const kid of children) {
    const ref = kid[spec.child.parentKey]
    if (kid.isActive && typeof ref === 'number' && ref > 0) refs.add(ref)
  }
  const deletedParentIds = new Set<number>()
  if (refs.size > 0)
    for (const p of await db.parents
      .where('id')
      .anyOf([...refs])
      .toArray())
      if (p.syncError?.code === 'not_found') deletedParentIds.add(p.id)
  return { parents, children, deletedParentIds }
}

/**
 * Every record the coming syncs will send, decided by the collector itself (so a preview never promises what a
 * sync then holds back: refused records, children of a refused new parent or of a parent deleted on the server).
 * The per-request limits are ignored: a long backlog goes in several requests, all of it listed here.
 */
export async function listSendable(
  db: LocalDatabase,
  spec: OneToManySpec,
): Promise<{ parents: LocalRecord[]; children: LocalRecord[] }> {
  const pending = await readPending(db, spec)
  const { sentRevs } = collectChanges(spec, {
    deviceId: '',
    syncId: '',
    cursor: null,
    unlimited: true,
    ...pending,
  })
  return {
    parents: pending.parents.filter((r) => r.uid in sentRevs).map(fromStored),
    children: pending.children.filter((r) => r.uid in sentRevs).map(fromStored),
  }
}

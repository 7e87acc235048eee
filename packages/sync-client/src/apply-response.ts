import type { OneToManySpec, SyncResponse } from '@offline-sync/sync-protocol'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { sortFieldOf } from './stored-record.ts'
import { planResponse, serverRow, settleAll, type ResponsePlan, type ServerRecord } from './apply-plan.ts'
import { finish, ghostParents, isCurrent, writeOutcome } from './apply-outcome.ts'
import { keptOverwrites, type KeptOverwrite } from './overwrite-notices.ts'
import { storePage } from './store-page.ts'
import { deleteInSlices, putInSlices } from './write-slices.ts'

export { DELETED_ELSEWHERE, settle } from './apply-plan.ts'
export { REPLACE_CHUNK } from './store-page.ts'

type AnyResponse = SyncResponse<OneToManySpec>

export interface ApplyProgress {
  (done: number, total: number): void
}

/**
 * Applies a validated response. Delta mode: ONE Dexie transaction over both tables, the outbox and meta, that
 * upserts the returned records, deletes `removed` ids in place, settles the pending records, clears the outbox
 * and stores the cursor. Full mode: the response is one page of a download, stored by `storePage` (the cursor
 * is stored with its last page). Every pending local record is settled against the request it was (or was not)
 * part of — see `settle`.
 * Resolves false if the outbox no longer holds this request (a full page may then have written part of its
 * records, with the cursor cleared so that the next sync is full). Rejects only on a Dexie error.
 */
export async function applyResponse(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  response: AnyResponse,
  progress: ApplyProgress,
): Promise<boolean> {
  if (response.mode === 'full') return (await storePage(db, spec, entry, response, progress)) !== false
  const parsed = planResponse(spec, response, new Date().toISOString())
  // Values of this device's that another device replaced, or that this sync replaced (rules M4, M5, M8): kept, shown.
  const overwrites = keptOverwrites(response, parsed.at)
  return applyDelta(db, spec, entry, response.cursor, parsed, overwrites, progress)
}

async function applyDelta(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  cursor: string,
  p: ResponsePlan,
  overwrites: KeptOverwrite[],
  progress: ApplyProgress,
): Promise<boolean> {
  const { parent, child } = spec
  let done = 0
  // In slices (write-slices.ts), so a large delta does not block the screen; all in the one transaction below.
  const putServer = (table: LocalDatabase['parents'], records: ServerRecord[], sortField: string) =>
    putInSlices(
      table,
      records,
      (r) => serverRow(r, sortField),
      (count) => progress((done += count), p.total),
    )

  return db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    if (!(await isCurrent(db, entry))) return false
    // Read before writing anything: these are the local changes to keep or settle.
    const pendingParents = await db.parents.where('_pending').equals(1).toArray()
    const pendingChildren = await db.children.where('_pending').equals(1).toArray()

    const goneParentIds = p.removed[parent.plural] ?? []
    // Pure over the records read above, so it can run before the writes: it decides which parents stay.
    const settled = settleAll(spec, entry, p, pendingParents, pendingChildren)
    const goneIds = new Set(goneParentIds)
    const ghosts = await ghostParents(db, settled, (r) => goneIds.has(r.id), p.at)
    const ghostUids = new Set(ghosts.map((r) => r.uid))
    const goneParents = (await db.parents.where('id').anyOf(goneParentIds).primaryKeys()).filter(
      (uid) => !ghostUids.has(uid),
    )
    // The server cascades a parent's delete to its children; do the same even if `removed` omits them.
    const goneChildren = [
      ...(await db.children
        .where('id')
        .anyOf(p.removed[child.plural] ?? [])
        .primaryKeys()),
      ...(await db.children.where(child.parentKey).anyOf(goneParentIds).primaryKeys()),
    ]
    await deleteInSlices(db.parents, goneParents)
    await deleteInSlices(db.children, goneChildren)
    progress(0, p.total)
    await putServer(db.parents, p.serverParents, sortFieldOf(parent))
    await putServer(db.children, p.serverChildren, sortFieldOf(child))

    // Pending records were overwritten by the server's above where it returned them: 'server' needs no write.
    await writeOutcome(
      db,
      { serverRows: { parents: [], children: [] }, ghosts, settled, parentIds: p.parentMap },
      () => undefined,
    )
    await finish(db, cursor, p.at, overwrites)
    return true
  })
}

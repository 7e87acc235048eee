import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { sortFieldOf, type StoredRecord } from './stored-record.ts'
import { ghostCandidateIds, planGhosts, serverRow, type ServerRecord, type Settled } from './apply-plan.ts'
import { keepOverwrites, type KeptOverwrite } from './overwrite-notices.ts'
import { deleteInSlices, putInSlices } from './write-slices.ts'
import { rememberAcknowledgedIds } from './acknowledged-ids.ts'

/**
 * The writes both apply paths share (apply-response.ts for a delta, store-page.ts for a page of a full download),
 * each run inside the caller's transaction.
 */

/** Whether the outbox still holds the request being answered (a sign-out or a refusal may have dropped it). */
export const isCurrent = async (db: LocalDatabase, entry: OutboxEntry) =>
  (await db.outbox.get('current'))?.request.syncId === entry.request.syncId

/**
 * Parents the server deleted (`isGone`) that pending children here still point at — contacts added or moved
 * under a company that another device deleted. Removing such a parent would make "re-create" ask the user to
 * type its details again, so it is kept with its fields, marked `syncError` `not_found`. It stays a clean
 * server record (`isModified` false, so not `_pending`): nothing the user changed, and since collectChanges
 * skips records with a `syncError` it goes back to the server only when the user re-creates it. Parents that
 * are themselves pending are left to `settle`. Runs inside the apply transaction, before the parent is deleted.
 */
export async function ghostParents(
  db: LocalDatabase,
  settled: Settled,
  isGone: (record: StoredRecord) => boolean,
  at: string,
): Promise<StoredRecord[]> {
  const refs = ghostCandidateIds(db.spec, settled)
  if (refs.length === 0) return []
  return planGhosts(db.spec, await db.parents.where('id').anyOf(refs).toArray(), isGone, at)
}

/**
 * Ghost parents are listed in meta `ghostParents` so that each apply can drop, without scanning the table, the
 * ones no active child points at any more (their contacts discarded or moved by hand since): they hold nothing
 * of the user's. One re-created or edited since is no ghost any more and just leaves the list.
 */
export async function dropEmptyGhosts(db: LocalDatabase, ghosts: StoredRecord[]): Promise<void> {
  const listed = (await db.meta.get('ghostParents'))?.value
  const uids = new Set([...(Array.isArray(listed) ? (listed as string[]) : []), ...ghosts.map((r) => r.uid)])
  const keep: string[] = []
  for (const uid of uids) {
    const ghost = await db.parents.get(uid)
    if (!ghost || ghost._pending !== undefined || ghost.syncError?.code !== 'not_found') continue
    const kids = await db.children.where(db.spec.child.parentKey).equals(ghost.id).toArray()
    if (kids.some((k) => k.isActive)) keep.push(uid)
    else {
      await db.parents.delete(uid)
      await db.children.bulkDelete(kids.map((k) => k.uid))
    }
  }
  if (keep.length > 0 || listed !== undefined) await db.meta.put({ key: 'ghostParents', value: keep })
}

/**
 * The writer both modes share, inside their final transaction: the server rows still to write (full mode's
 * held-back ones), the ghost parents, then each pending record as settled — dropped, rewritten, or replaced by
 * the server's record (`serverRecord`; undefined when the server's is already in the table) — and last the ghost
 * list tidied.
 */
export async function writeOutcome(
  db: LocalDatabase,
  outcome: {
    serverRows: { parents: StoredRecord[]; children: StoredRecord[] }
    ghosts: StoredRecord[]
    settled: Settled
    /** The server ids the answer gave this device's added parents (acknowledged-ids.ts). */
    parentIds: Record<string, number>
  },
  serverRecord: (uid: string) => ServerRecord | undefined,
  toRow: (record: ServerRecord, sortField: string) => StoredRecord = serverRow,
): Promise<void> {
  const { parent, child } = db.spec
  // In slices (write-slices.ts): the acknowledgements of a large upload are as many puts as its records.
  const same = (row: StoredRecord) => row
  await putInSlices(db.parents, outcome.serverRows.parents, same)
  await putInSlices(db.children, outcome.serverRows.children, same)
  await putInSlices(db.parents, outcome.ghosts, same)
  for (const [table, s, sortField] of [
    [db.parents, outcome.settled.parents, sortFieldOf(parent)],
    [db.children, outcome.settled.children, sortFieldOf(child)],
  ] as const) {
    const server = s.server.flatMap((uid) => {
      const record = serverRecord(uid)
      return record ? [toRow(record, sortField)] : []
    })
    await deleteInSlices(table, s.drops)
    await putInSlices(table, [...server, ...s.puts], same)
  }
  await dropEmptyGhosts(db, outcome.ghosts)
  await rememberAcknowledgedIds(db, outcome.parentIds)
}

/** The answer is in: its overwrites kept for the person, the outbox cleared, and (last page or delta) the cursor. */
export async function finish(
  db: LocalDatabase,
  cursor: string | null,
  at: string,
  overwrites: KeptOverwrite[],
): Promise<void> {
  await keepOverwrites(db, overwrites)
  await db.outbox.delete('current')
  if (cursor === null) return
  await db.meta.bulkPut([
    { key: 'cursor', value: cursor },
    { key: 'lastSyncedAt', value: at },
  ])
}

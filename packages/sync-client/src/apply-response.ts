import type { OneToManySpec, SyncResponse } from '@offline-sync/sync-protocol'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { sortFieldOf, type StoredRecord } from './stored-record.ts'
import {
  ghostCandidateIds,
  planGhosts,
  planResponse,
  serverRow,
  settleAll,
  type ResponsePlan,
  type ServerRecord,
  type Settled,
} from './apply-plan.ts'

export { DELETED_ELSEWHERE, settle } from './apply-plan.ts'
import { keepOverwrites, keptOverwrites, type KeptOverwrite } from './overwrite-notices.ts'

type AnyResponse = SyncResponse<OneToManySpec>

export interface ApplyProgress {
  (done: number, total: number): void
}

/**
 * Records per transaction of a full replace. IndexedDB makes readers of a table wait for a readwrite
 * transaction on it, so a replace written in ONE transaction blocked every list for the whole write (seconds
 * at 100k records). 2,000 records take well under 200 ms on a phone-class device, and the extra commits cost
 * a few per cent of the replace.
 */
export const REPLACE_CHUNK = 2_000

/** Delta responses are small; one transaction, written in bulk calls of this size for progress. */
const DELTA_CHUNK = 10_000

/**
 * Applies a validated response. Delta mode: ONE Dexie transaction over both tables, the outbox and meta, that
 * upserts the returned records, deletes `removed` ids in place and settles the pending records. Full mode:
 * see `replaceInChunks`. Every pending local record is settled against the request it was (or was not) part
 * of — see `settle` — and finally the outbox is cleared and the cursor stored.
 * Resolves false if the outbox no longer holds this request (a full replace may then have written part of
 * the server's records, with the cursor cleared so that the next sync is full). Rejects only on a Dexie error.
 */
export async function applyResponse(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  response: AnyResponse,
  progress: ApplyProgress,
): Promise<boolean> {
  const parsed = planResponse(spec, response, new Date().toISOString())
  // Values of this device's that another device replaced, or that this sync replaced (rules M4, M5, M8): kept, shown.
  const overwrites = keptOverwrites(response, parsed.at)
  return response.mode === 'full'
    ? replaceInChunks(db, spec, entry, response.cursor, parsed, overwrites, progress)
    : applyDelta(db, spec, entry, response.cursor, parsed, overwrites, progress)
}

const isCurrent = async (db: LocalDatabase, entry: OutboxEntry) =>
  (await db.outbox.get('current'))?.request.syncId === entry.request.syncId

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
  const putServer = async (table: LocalDatabase['parents'], records: ServerRecord[], sortField: string) => {
    for (let i = 0; i < records.length; i += DELTA_CHUNK) {
      const slice = records.slice(i, i + DELTA_CHUNK)
      await table.bulkPut(slice.map((r) => serverRow(r, sortField)))
      done += slice.length
      progress(done, p.total)
    }
  }

  return db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    if (!(await isCurrent(db, entry))) return false
    // Read before writing anything: these are the local changes to keep or settle.
    const pendingParents = await db.parents.where('_pending').equals(1).toArray()
    const pendingChildren = await db.children.where('_pending').equals(1).toArray()

    const goneParentIds = p.removed[parent.plural] ?? []
    // Pure over the records read above, so it can run before the writes: it decides which parents stay.
    const settled = settleAll(spec, entry, p, pendingParents, pendingChildren, false)
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
    await db.parents.bulkDelete(goneParents)
    await db.children.bulkDelete(goneChildren)
    progress(0, p.total)
    await putServer(db.parents, p.serverParents, sortFieldOf(parent))
    await putServer(db.children, p.serverChildren, sortFieldOf(child))

    // Pending records were overwritten by the server's above where it returned them: 'server' needs no write.
    await writeOutcome(db, { serverRows: { parents: [], children: [] }, ghosts, settled }, () => undefined)
    await finish(db, cursor, p.at, false, overwrites)
    return true
  })
}

/**
 * A full replace, in transactions of REPLACE_CHUNK records so lists stay readable while it runs:
 *
 * 1. Write the server's records chunk by chunk, each in its own transaction that first reads which records
 *    are pending NOW and leaves those alone (kept aside for step 2): an edit made between chunks survives.
 *    The first one also clears the stored cursor. Until step 2 commits the next sync is full, so a crash or
 *    a closed tab mid-replace leaves the old and new server records side by side, every pending change
 *    intact, and the outbox kept: the next sync resends the attempt (answered from its receipt, rule R9) in
 *    full mode and completes the replace.
 * 2. One transaction: write the last chunk, delete the records the server no longer has (not returned, not
 *    pending), settle every pending record as the one-transaction replace did, clear the outbox, store the
 *    cursor. A response of at most REPLACE_CHUNK records is thus still applied in one transaction.
 * Each transaction checks that the outbox still holds this request; if not, it stops and resolves false.
 */
async function replaceInChunks(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  cursor: string,
  p: ResponsePlan,
  overwrites: KeptOverwrite[],
  progress: ApplyProgress,
): Promise<boolean> {
  const { parent, child } = spec
  const chunks: { table: LocalDatabase['parents']; slice: ServerRecord[]; sortField: string }[] = []
  for (const [table, records, sortField] of [
    [db.parents, p.serverParents, sortFieldOf(parent)],
    [db.children, p.serverChildren, sortFieldOf(child)],
  ] as const) {
    for (let i = 0; i < records.length; i += REPLACE_CHUNK)
      chunks.push({ table, slice: records.slice(i, i + REPLACE_CHUNK), sortField })
  }
  // uid → the server's record, for records that were pending when their chunk was written.
  const heldBack = new Map<string, ServerRecord>()
  let done = 0
  /** Runs inside a transaction over `table`. */
  const writeChunk = async ({ table, slice, sortField }: (typeof chunks)[number]) => {
    const pending = new Set(await table.where('_pending').equals(1).primaryKeys())
    const rows: StoredRecord[] = []
    const uids = new Set<string>()
    let [low, high] = [Infinity, -Infinity]
    for (const r of slice) {
      uids.add(r.uid)
      low = Math.min(low, r.id)
      high = Math.max(high, r.id)
      if (pending.has(r.uid)) heldBack.set(r.uid, r)
      else rows.push(serverRow(r, sortField))
    }
    // A local record holding one of these ids under another uid (a server whose database was reset) would
    // break the unique id index; it is stale either way. The response is ordered by id, so this is one
    // short range of the index, read as keys only.
    const clashing = await table.where('id').between(low, high, true, true).primaryKeys()
    await table.bulkDelete(clashing.filter((uid) => !uids.has(uid) && !pending.has(uid)))
    await table.bulkPut(rows)
    done += slice.length
  }

  progress(0, p.total)
  // The last chunk goes into the final transaction: a response of one chunk is applied all-or-nothing.
  const last = chunks.pop()
  for (const [i, chunk] of chunks.entries()) {
    const written = await db.transaction('rw', [chunk.table, db.outbox, db.meta], async () => {
      if (!(await isCurrent(db, entry))) return false
      // From the first write until the final transaction commits, the next sync is full.
      if (i === 0) await db.meta.put({ key: 'cursor', value: null })
      await writeChunk(chunk)
      return true
    })
    if (!written) return false
    progress(done, p.total)
  }

  const returnedParents = new Set(p.serverParents.map((r) => r.uid))
  const returnedChildren = new Set(p.serverChildren.map((r) => r.uid))
  const finished = await db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    if (!(await isCurrent(db, entry))) return false
    if (last) await writeChunk(last)
    const pendingParents = await db.parents.where('_pending').equals(1).toArray()
    const pendingChildren = await db.children.where('_pending').equals(1).toArray()
    const settled = settleAll(spec, entry, p, pendingParents, pendingChildren, true)
    const ghosts = await ghostParents(db, settled, (r) => !returnedParents.has(r.uid), p.at)
    // What the one-transaction replace's clear() did: drop the server records the server no longer has.
    // Every returned and every pending record is in the table, so there are stale ones only if it holds
    // more than those; the usual full sync (the server still has everything) then reads no keys.
    for (const [table, returned, pending] of [
      [db.parents, returnedParents, [...pendingParents, ...ghosts]],
      [db.children, returnedChildren, pendingChildren],
    ] as const) {
      const keep = new Set(pending.map((r) => r.uid))
      let expected = returned.size
      for (const uid of keep) if (!returned.has(uid)) expected += 1
      if ((await table.count()) === expected) continue
      const stale = (await table.toCollection().primaryKeys()).filter(
        (uid) => !returned.has(uid) && !keep.has(uid),
      )
      await table.bulkDelete(stale)
    }
    // Held back as pending but settled meanwhile (a discard): the server's record is what it wants now.
    const pendingUids = new Set([...pendingParents, ...pendingChildren].map((r) => r.uid))
    const serverRows = { parents: [] as StoredRecord[], children: [] as StoredRecord[] }
    for (const [uid, record] of heldBack) {
      if (pendingUids.has(uid)) continue
      if (returnedParents.has(uid)) serverRows.parents.push(serverRow(record, sortFieldOf(parent)))
      else serverRows.children.push(serverRow(record, sortFieldOf(child)))
    }
    // A pending record whose change the server applied: its held-back server record replaces it.
    await writeOutcome(db, { serverRows, ghosts, settled }, (uid) => heldBack.get(uid))
    await finish(db, cursor, p.at, true, overwrites)
    return true
  })
  if (finished && last) progress(done, p.total)
  return finished
}

/**
 * Parents the server deleted (`isGone`) that pending children here still point at — contacts added or moved
 * under a company that another device deleted. Removing such a parent would make "re-create" ask the user to
 * type its details again, so it is kept with its fields, marked `syncError` `not_found`. It stays a clean
 * server record (`isModified` false, so not `_pending`): nothing the user changed, and since collectChanges
 * skips records with a `syncError` it goes back to the server only when the user re-creates it. Parents that
 * are themselves pending are left to `settle`. Runs inside the apply transaction, before the parent is deleted.
 */
async function ghostParents(
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
async function dropEmptyGhosts(db: LocalDatabase, ghosts: StoredRecord[]): Promise<void> {
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
async function writeOutcome(
  db: LocalDatabase,
  outcome: {
    serverRows: { parents: StoredRecord[]; children: StoredRecord[] }
    ghosts: StoredRecord[]
    settled: Settled
  },
  serverRecord: (uid: string) => ServerRecord | undefined,
): Promise<void> {
  const { parent, child } = db.spec
  await db.parents.bulkPut(outcome.serverRows.parents)
  await db.children.bulkPut(outcome.serverRows.children)
  await db.parents.bulkPut(outcome.ghosts)
  for (const [table, s, sortField] of [
    [db.parents, outcome.settled.parents, sortFieldOf(parent)],
    [db.children, outcome.settled.children, sortFieldOf(child)],
  ] as const) {
    const server = s.server.flatMap((uid) => {
      const record = serverRecord(uid)
      return record ? [serverRow(record, sortField)] : []
    })
    await table.bulkDelete(s.drops)
    await table.bulkPut([...server, ...s.puts])
  }
  await dropEmptyGhosts(db, outcome.ghosts)
}

async function finish(
  db: LocalDatabase,
  cursor: string,
  at: string,
  full: boolean,
  overwrites: KeptOverwrite[],
): Promise<void> {
  await keepOverwrites(db, overwrites)
  await db.outbox.delete('current')
  await db.meta.bulkPut([
    { key: 'cursor', value: cursor },
    { key: 'lastSyncedAt', value: at },
  ])
  // A full response brings every server value back, which is what a discard asked for.
  if (full) await db.meta.delete('refresh')
}

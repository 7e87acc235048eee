import type { OneToManySpec, Rejection, SyncResponse } from '@offline-sync/protocol'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { keepOverwrites, keptOverwrites, type KeptOverwrite } from './overwrite-notices.ts'
import { fromStored, sortFieldOf, sortKey, toStored, type StoredRecord } from './stored-record.ts'

type AnyResponse = SyncResponse<OneToManySpec>
type ServerRecord = Record<string, unknown> & { id: number; uid: string }

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

interface Parsed {
  serverParents: ServerRecord[]
  serverChildren: ServerRecord[]
  removed: Record<string, number[]>
  parentMap: Record<string, number>
  childMap: Record<string, number>
  rejections: Map<string, Rejection>
  overwrites: KeptOverwrite[]
  at: string
  total: number
}

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
  const { parent, child } = spec
  const serverParents = response[parent.plural] as unknown as ServerRecord[]
  const serverChildren = response[child.plural] as unknown as ServerRecord[]
  const rejections = new Map<string, Rejection>()
  for (const r of response.rejected) rejections.set(`${r.entity}:${r.uid}`, r)
  const parsed: Parsed = {
    serverParents,
    serverChildren,
    removed: response.removed as Record<string, number[]>,
    parentMap: response[`${parent.name}IdMap`] as Record<string, number>,
    childMap: response[`${child.name}IdMap`] as Record<string, number>,
    rejections,
    overwrites: keptOverwrites(response, new Date().toISOString()),
    at: new Date().toISOString(),
    total: serverParents.length + serverChildren.length,
  }
  return response.mode === 'full'
    ? replaceInChunks(db, spec, entry, response.cursor, parsed, progress)
    : applyDelta(db, spec, entry, response.cursor, parsed, progress)
}

const isCurrent = async (db: LocalDatabase, entry: OutboxEntry) =>
  (await db.outbox.get('current'))?.request.syncId === entry.request.syncId

/** Server records are active and clean: no `_pending`, and `_sort` computed inline (no second spread). */
const fromServer = (r: ServerRecord, sortField: string) =>
  ({ ...r, rev: 0, syncError: null, _sort: sortKey(r[sortField]) }) as StoredRecord

async function applyDelta(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  cursor: string,
  p: Parsed,
  progress: ApplyProgress,
): Promise<boolean> {
  const { parent, child } = spec
  let done = 0
  const putServer = async (table: LocalDatabase['parents'], records: ServerRecord[], sortField: string) => {
    for (let i = 0; i < records.length; i += DELTA_CHUNK) {
      const slice = records.slice(i, i + DELTA_CHUNK)
      await table.bulkPut(slice.map((r) => fromServer(r, sortField)))
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

    await db.parents.bulkPut(ghosts)
    // Pending records were overwritten by the server's above where it returned them: 'server' needs no write.
    await writeSettled(db, settled, () => undefined)
    await dropEmptyGhosts(db, ghosts)
    await finish(db, cursor, p.at, false, p.overwrites)
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
  p: Parsed,
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
      else rows.push(fromServer(r, sortField))
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
    const serverPuts = { parents: [] as StoredRecord[], children: [] as StoredRecord[] }
    for (const [uid, record] of heldBack) {
      if (pendingUids.has(uid)) continue
      if (returnedParents.has(uid)) serverPuts.parents.push(fromServer(record, sortFieldOf(parent)))
      else serverPuts.children.push(fromServer(record, sortFieldOf(child)))
    }
    await db.parents.bulkPut(serverPuts.parents)
    await db.children.bulkPut(serverPuts.children)
    await db.parents.bulkPut(ghosts)

    // A pending record whose change the server applied: its held-back server record replaces it.
    await writeSettled(db, settled, (uid) => heldBack.get(uid))
    await dropEmptyGhosts(db, ghosts)
    await finish(db, cursor, p.at, true, p.overwrites)
    return true
  })
  if (finished && last) progress(done, p.total)
  return finished
}

/** The refusal a ghost parent carries: what the attention list shows as its reason. */
export const DELETED_ELSEWHERE = 'deleted on the server by someone else'

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
  const { parent, child } = db.spec
  const refs = new Set<number>()
  for (const kid of settled.children.puts) {
    const ref = kid[child.parentKey]
    if (kid.isActive && typeof ref === 'number' && ref > 0) refs.add(ref)
  }
  if (refs.size === 0) return []
  const candidates = await db.parents
    .where('id')
    .anyOf([...refs])
    .toArray()
  return candidates
    .filter((r) => r._pending === undefined && r.isActive && isGone(r))
    .map((r) =>
      toStored(
        { ...fromStored(r), syncError: { code: 'not_found', reason: DELETED_ELSEWHERE, at } },
        sortFieldOf(parent),
      ),
    )
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

interface Settled {
  parents: { puts: StoredRecord[]; drops: string[]; server: string[] }
  children: { puts: StoredRecord[]; drops: string[]; server: string[] }
}

function settleAll(
  spec: OneToManySpec,
  entry: OutboxEntry,
  p: Parsed,
  pendingParents: StoredRecord[],
  pendingChildren: StoredRecord[],
  full: boolean,
): Settled {
  const { parent, child } = spec
  const parentKey = child.parentKey
  const one = (
    entity: string,
    records: StoredRecord[],
    idMap: Record<string, number>,
    returned: ServerRecord[],
  ) => {
    const returnedByUid = new Map(returned.map((r) => [r.uid, r]))
    const returnedUids = new Set(returnedByUid.keys())
    const fields = Object.keys((entity === parent.name ? parent : child).fields)
    if (entity === child.name) fields.push(parentKey)
    const puts: StoredRecord[] = []
    const drops: string[] = []
    const server: string[] = []
    for (const record of records) {
      const outcome = settle(record, {
        sentRev: entry.sentRevs[record.uid],
        rejection: p.rejections.get(`${entity}:${record.uid}`),
        mappedId: record.id < 0 ? idMap[String(record.id)] : undefined,
        returned: returnedUids.has(record.uid),
        full,
        at: p.at,
      })
      if (outcome === 'drop') drops.push(record.uid)
      else if (outcome === 'server') server.push(record.uid)
      else {
        rebaseOnto(outcome, returnedByUid.get(record.uid), fields)
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
    parents: one(parent.name, pendingParents, p.parentMap, p.serverParents),
    children: one(child.name, pendingChildren, p.childMap, p.serverChildren),
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

async function writeSettled(
  db: LocalDatabase,
  settled: Settled,
  serverRecord: (uid: string) => ServerRecord | undefined,
): Promise<void> {
  const { parent, child } = db.spec
  for (const [table, s, sortField] of [
    [db.parents, settled.parents, sortFieldOf(parent)],
    [db.children, settled.children, sortFieldOf(child)],
  ] as const) {
    const server = s.server.flatMap((uid) => {
      const record = serverRecord(uid)
      return record ? [fromServer(record, sortField)] : []
    })
    await table.bulkDelete(s.drops)
    await table.bulkPut([...server, ...s.puts])
  }
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
    full: boolean
    at: string
  },
): 'server' | 'drop' | StoredRecord {
  const covered = ctx.sentRev !== undefined && ctx.sentRev === record.rev
  if (covered) {
    if (ctx.rejection) {
      if (ctx.rejection.code === 'already_deleted') return 'drop'
      return { ...record, syncError: { code: ctx.rejection.code, reason: ctx.rejection.reason, at: ctx.at } }
    }
    // Returned means the server still has it (e.g. a delete implied by its parent's, of a child the server had
    // moved elsewhere meanwhile): its record stands, even for a delete.
    if (ctx.returned) return 'server'
    if (!record.isActive) return 'drop'
    const serverId = ctx.mappedId ?? (record.id > 0 ? record.id : undefined)
    // An add the server neither mapped nor refused breaks the contract: keep it pending (uids make a resend safe).
    if (serverId === undefined) return record
    // Full mode lists every server record: one that is missing was deleted there after our write.
    if (ctx.full) return 'drop'
    return { ...record, id: serverId, isFromServer: true, isModified: false, changed: undefined }
  }
  if (ctx.mappedId !== undefined) {
    // An add edited in flight: the server has the values sent, not which of them changed since; send all.
    return { ...record, id: ctx.mappedId, isFromServer: true, isModified: true, changed: undefined }
  }
  // Deleted here before the server ever created it: nothing left to tell the server.
  if (!record.isFromServer && !record.isActive) return 'drop'
  return record
}

import {
  requestChanges,
  responseParts,
  type OneToManySpec,
  type SyncResponse,
} from '@offline-sync/sync-protocol'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { sortFieldOf, type StoredRecord } from './stored-record.ts'
import { planGhosts, planResponse, serverRow, settleAll, type ServerRecord } from './apply-plan.ts'
import { finish, isCurrent, writeOutcome } from './apply-outcome.ts'
import { readDownload, type DownloadState } from './download-state.ts'
import { keptOverwrites } from './overwrite-notices.ts'
import { deleteInSlices, putInSlices } from './write-slices.ts'

/**
 * Records per transaction. IndexedDB makes readers of a table wait for a readwrite transaction on it, so a page
 * written in ONE transaction would block every list for as long (seconds for a server that answers 100k records
 * in one page). 2,000 records take well under 200 ms on a phone-class device.
 */
export const REPLACE_CHUNK = 2_000

/** Where the download stands once a page is stored; `next: null` when that was its last page. */
export interface StoredPage {
  next: string | null
  stored: number
  total: number
  pages: number
}

/**
 * Stores one answer in full mode: a page of a paged download (rules G1–G9), or the whole of it from a server that
 * answers in one page. In transactions of REPLACE_CHUNK records, so lists stay readable and show the rows as they
 * come:
 *
 * 1. Each chunk's transaction reads which records are pending NOW and leaves those alone (kept aside for step 2):
 *    an edit made meanwhile survives. The first transaction of a new download clears the stored cursor and
 *    decides whether the download replaces data the device already had (then it marks the rows it stores).
 * 2. One transaction writes the last chunk, settles the pending records against the request (rebased onto the
 *    server's records the page brought, rule R17; the changes a writing request carried mapped, refused or
 *    acknowledged, rule G7), clears the outbox and stores the download's state with the next token, in the same
 *    transaction as the rows (rule G9). On the last page it instead removes the server rows the download did not
 *    bring and that are not pending (kept as ghost parents when pending children point at them), and stores the
 *    snapshot as the cursor.
 * A crash before step 2 commits leaves the outbox: the next sync asks for the same page again. Each transaction
 * checks that the outbox still holds this request; if not, it stops and resolves false.
 */
export async function storePage(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  response: SyncResponse<OneToManySpec>,
  progress: (done: number, total: number) => void,
): Promise<StoredPage | false> {
  const { parent, child } = spec
  const p = planResponse(spec, response, new Date().toISOString())
  const overwrites = keptOverwrites(response, p.at)
  const page = responseParts(spec, response).page
  const next = page?.next ?? null
  const snapshot = response.cursor
  const chunks: { table: LocalDatabase['parents']; slice: ServerRecord[]; sortField: string }[] = []
  for (const [table, records, sortField] of [
    [db.parents, p.serverParents, sortFieldOf(parent)],
    [db.children, p.serverChildren, sortFieldOf(child)],
  ] as const) {
    for (let i = 0; i < records.length; i += REPLACE_CHUNK)
      chunks.push({ table, slice: records.slice(i, i + REPLACE_CHUNK), sortField })
  }

  let state: DownloadState | undefined
  /** Inside the first transaction: the download this page continues, or a new one (rule G6). */
  const begin = async (): Promise<DownloadState> => {
    const saved = await readDownload(db)
    const total = page ? page.total.parents + page.total.children : p.total
    if (entry.request.page && saved?.snapshot === snapshot) return { ...saved, total }
    // A new download: until its last page is stored the next sync asks for pages, never a delta (rule G9).
    await db.meta.put({ key: 'cursor', value: null })
    // It brings every server value back, which is what a discard asked for.
    await db.meta.delete('refresh')
    // Over data the device already had (or records this request wrote): mark, and sweep at the end.
    const sweep = hasChanges(spec, entry) || (await holdsServerRows(db))
    return { snapshot, next: '', stored: 0, total, pages: 0, sweep }
  }
  const toRow = (r: ServerRecord, sortField: string): StoredRecord => {
    const row = serverRow(r, sortField)
    if (state?.sweep) row._snapshot = snapshot
    return row
  }

  // uid → the server's record, for records that were pending when their chunk was written.
  const heldBack = new Map<string, ServerRecord>()
  let done = 0
  /** Runs inside a transaction over `table`. */
  const writeChunk = async ({ table, slice, sortField }: (typeof chunks)[number]) => {
    const pending = new Set(await table.where('_pending').equals(1).primaryKeys())
    const fresh: ServerRecord[] = []
    const uids = new Set<string>()
    for (const r of slice) {
      uids.add(r.uid)
      if (pending.has(r.uid)) heldBack.set(r.uid, r)
      else fresh.push(r)
    }
    // Over older data, a local record holding one of these ids under another uid (a server whose database was
    // reset) would break the unique id index; it is stale either way. A fresh download holds no such record.
    if (state?.sweep) {
      const clashing = await table
        .where('id')
        .anyOf(slice.map((r) => r.id))
        .primaryKeys()
      await deleteInSlices(
        table,
        clashing.filter((uid) => !uids.has(uid) && !pending.has(uid)),
      )
    }
    // In slices, so the screen is not blocked for the whole chunk (write-slices.ts); still this transaction.
    await putInSlices(table, fresh, (r) => toRow(r, sortField))
    done += slice.length
  }

  // The last chunk goes into the final transaction: a page of one chunk is stored all-or-nothing.
  const last = chunks.pop()
  for (const chunk of chunks) {
    // The first one reads both tables (begin); the others lock only the table they write.
    const tables = state ? [chunk.table, db.outbox, db.meta] : [db.parents, db.children, db.outbox, db.meta]
    const written = await db.transaction('rw', tables, async () => {
      if (!(await isCurrent(db, entry))) return false
      state ??= await begin()
      await writeChunk(chunk)
      return true
    })
    if (!written) return false
    progress(state!.stored + done, state!.total)
  }

  const stored = await db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    if (!(await isCurrent(db, entry))) return false
    state ??= await begin()
    const download = state
    if (last) await writeChunk(last)
    const pendingParents = await db.parents.where('_pending').equals(1).toArray()
    const pendingChildren = await db.children.where('_pending').equals(1).toArray()
    const settled = settleAll(spec, entry, p, pendingParents, pendingChildren)
    const ghosts =
      next === null && download.sweep
        ? await sweptGhosts(db, spec, settled.children.puts, snapshot, p.at)
        : []
    // Held back as pending but settled meanwhile (a discard): the server's record is what it wants now.
    const pendingUids = new Set([...pendingParents, ...pendingChildren].map((r) => r.uid))
    const returnedParents = new Set(p.serverParents.map((r) => r.uid))
    const serverRows = { parents: [] as StoredRecord[], children: [] as StoredRecord[] }
    for (const [uid, record] of heldBack) {
      if (pendingUids.has(uid)) continue
      if (returnedParents.has(uid)) serverRows.parents.push(toRow(record, sortFieldOf(parent)))
      else serverRows.children.push(toRow(record, sortFieldOf(child)))
    }
    // A pending record whose change the server applied: its held-back server record replaces it.
    await writeOutcome(
      db,
      { serverRows, ghosts, settled, parentIds: p.parentMap },
      (uid) => heldBack.get(uid),
      toRow,
    )
    const after: StoredPage = {
      next,
      stored: download.stored + p.total,
      total: Math.max(download.total, download.stored + p.total),
      pages: download.pages + 1,
    }
    if (next === null) {
      if (download.sweep) await sweep(db, snapshot, new Set(ghosts.map((g) => g.uid)))
      await db.meta.delete('download')
    } else {
      await db.meta.put({ key: 'download', value: { ...download, ...after, next } satisfies DownloadState })
    }
    await finish(db, next === null ? snapshot : null, p.at, overwrites)
    return after
  })
  if (stored) progress(stored.stored, stored.total)
  return stored
}

/** Whether a table holds records that are not pending: server rows kept from before this download. */
async function holdsServerRows(db: LocalDatabase): Promise<boolean> {
  for (const table of [db.parents, db.children]) {
    if ((await table.count()) > (await table.where('_pending').equals(1).count())) return true
  }
  return false
}

function hasChanges(spec: OneToManySpec, entry: OutboxEntry): boolean {
  const { parents, children } = requestChanges(spec, entry.request)
  const lists = ['added', 'modified', 'deleted'] as const
  return [parents, children].some((set) => lists.some((list) => (set?.[list]?.length ?? 0) > 0))
}

/**
 * The parents the sweep would remove (not brought by the download, not pending) that active pending children
 * point at: kept as ghosts (apply-outcome.ts ghostParents says why).
 */
async function sweptGhosts(
  db: LocalDatabase,
  spec: OneToManySpec,
  children: StoredRecord[],
  snapshot: string,
  at: string,
): Promise<StoredRecord[]> {
  const refs = new Set<number>()
  for (const kid of children) {
    const ref = kid[spec.child.parentKey]
    if (kid.isActive && typeof ref === 'number' && ref > 0) refs.add(ref)
  }
  if (refs.size === 0) return []
  const candidates = await db.parents
    .where('id')
    .anyOf([...refs])
    .toArray()
  return planGhosts(spec, candidates, (r) => r._snapshot !== snapshot, at)
}

/**
 * Rule G9: the end of a download over older data removes the server rows it did not bring (not marked with its
 * snapshot) that are not pending and not kept as ghosts. Keys only; when the counts show nothing stale (the usual
 * case: the server still has everything) it reads no more.
 */
async function sweep(db: LocalDatabase, snapshot: string, ghosts: Set<string>): Promise<void> {
  for (const [table, kept] of [
    [db.parents, ghosts],
    [db.children, new Set<string>()],
  ] as const) {
    const keep = new Set(await table.where('_snapshot').equals(snapshot).primaryKeys())
    for (const uid of await table.where('_pending').equals(1).primaryKeys()) keep.add(uid)
    for (const uid of kept) keep.add(uid)
    if ((await table.count()) === keep.size) continue
    const stale = (await table.toCollection().primaryKeys()).filter((uid) => !keep.has(uid))
    await deleteInSlices(table, stale)
  }
}

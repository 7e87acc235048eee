import {
  buildResponse,
  requestChanges,
  toAnyRequest,
  type AnyRequest,
  type IdMap,
  type OneToManySpec,
  type Overwrite,
  type SyncRequest,
  type SyncResponse,
  type WriteAck,
} from '@offline-sync/sync-protocol'
import type { SqlDatabase, SqlExecutor } from './ports.ts'
import { isEmpty, type LooseChangeSet, type WireRecord, type WriteContext } from './change-set.ts'
import { requestHash } from './request-hash.ts'
import { findReceipt, readOverwritten, saveOverwrites, saveReceipt, type SyncOutcome } from './receipts.ts'
import { syncChildren, syncParents, type EntityTable } from './sync-entities.ts'
import {
  chooseReadMode,
  readOnlySql,
  unackedDeltaSql,
  type ReadBack,
  type ReadMode,
  type ReadOnlyRow,
} from './read-back.ts'
import { InvalidPageError, SyncIdReusedError } from './errors.ts'
import { decodePageToken, encodePageToken, type PageToken } from './page-token.ts'
import { DEFAULT_PAGE_BOUNDS, readPage, startOfDownload, type Page, type PageBounds } from './read-page.ts'
import { deleteChildrenOfSql, entitySql } from './sql/entity-sql.ts'
import { NOTIFY_CHANGE, READ_CURSOR, TAKE_LOCK_AND_VERSION } from './sql/sync-state-sql.ts'
import { pruneSyncHistory, type PruneResult } from './prune.ts'

/** Structural, so the app's logger (or none) fits. */
export interface SyncLog {
  info(message: string, fields?: Record<string, unknown>): void
}

export interface ServerDataSyncOptions {
  /** How long deletes stay visible to delta syncs; a device that was away longer gets a full sync. Default 30. */
  tombstoneRetentionDays?: number
  /** How long a resend of an applied attempt is recognised (rule R9). Default 30. */
  receiptRetentionDays?: number
  log?: SyncLog
  /**
   * A channel on which every committed writing sync is announced, inside its transaction:
   * `NOTIFY <channel>, '<new cursor>:<deviceId>'` (Postgres delivers it at commit, exactly when the data is
   * visible, and drops it on rollback). Unset: no notices.
   */
  changeChannel?: string
  /** Rule G1's page bounds (records, first page's records, bytes). Default 2,000 / 200 / 1 MiB. */
  page?: Partial<PageBounds>
}

/** ServerDataSync for one parent/child declaration, on a SqlDatabase port. Knows nothing of HTTP. */
export interface ServerDataSync<S extends OneToManySpec> {
  /**
   * Applies one parsed request (see parseSyncRequest) and answers with the server's data. Atomic: the
   * whole request commits, or nothing does. Changes that cannot apply are returned in `rejected`, never
   * thrown. Throws SyncIdReusedError (HTTP 409, nothing changed), the port's DatabaseUnavailableError (retry later),
   * or any other database error (nothing committed; the device resends the same attempt).
   */
  sync(request: SyncRequest<S>, context?: SyncContext): Promise<SyncResponse<S>>
  /** Drops expired tombstones (raising the full-sync floor) and receipts. Atomic; throws on database errors. */
  prune(): Promise<PruneResult>
}

/** Who a sync is made for, as far as the engine needs to know. */
export interface SyncContext {
  /**
   * The account (any stable string) the request is made for. Its receipt belongs to it: the same deviceId and
   * syncId sent for another owner is refused (SyncIdReusedError), never answered with the owner's id maps.
   */
  owner?: string
}

type LooseRequest = AnyRequest

/**
 * ServerDataSync = the seed's server action of that name: SyncCompanies → remap → SyncContacts → read back,
 * in ONE transaction, made retry-safe (receipts, adds keyed by uid) and serialised (rules R8–R16).
 */
export function createServerDataSync<S extends OneToManySpec>(
  spec: S,
  db: SqlDatabase,
  options: ServerDataSyncOptions = {},
): ServerDataSync<S> {
  const { parent: parentSpec, child: childSpec } = spec
  const parent: EntityTable = { spec: parentSpec, sql: entitySql(parentSpec) }
  const child = {
    spec: childSpec,
    sql: entitySql(childSpec, childSpec.parentKey),
    parentKey: childSpec.parentKey,
  }
  const deleteChildrenOf = deleteChildrenOfSql(parentSpec, childSpec, childSpec.parentKey)
  const noOutcome: SyncOutcome = { idMaps: {}, rejected: [], overwrites: [] }
  const readOnly = readOnlySql(parent, child)
  const unackedDelta = unackedDeltaSql(parent, child)
  const tables = [parent, child] as const
  const bounds: PageBounds = { ...DEFAULT_PAGE_BOUNDS, ...options.page }

  async function sync(typed: SyncRequest<S>, context: SyncContext = {}): Promise<SyncResponse<S>> {
    const started = Date.now()
    const request = toAnyRequest(typed)
    const changes = requestChanges(spec, request)
    // A parsed request always holds both sets (parseSyncRequest); the fallback only keeps the types honest.
    const parents: LooseChangeSet = changes.parents ?? { added: [], modified: [], deleted: [] }
    const children: LooseChangeSet = changes.children ?? { added: [], modified: [], deleted: [] }
    const writes = !isEmpty(parents) || !isEmpty(children)
    const token = readToken(request, writes)
    // Hashing is CPU work: done before the transaction, which should hold its locks only for SQL.
    // The owner is hashed with the request (the strict request schema has no key `owner`), so a receipt answers
    // only its owner's resends. A receipt recorded before owners were hashed carries the plain hash: it still
    // answers the same request (as it did then) until it expires.
    const hash = requestHash(context.owner === undefined ? request : { ...request, owner: context.owner })
    const hashes = context.owner === undefined ? [hash] : [hash, requestHash(request)]

    const answer =
      (!writes && (await readWithoutWriting(request, hashes, token))) ||
      (await db.transaction(async (tx): Promise<Answer> => {
        // Idempotency, fast path: a resend of an applied attempt is answered without taking the writers' lock.
        const recorded = await findReceipt(tx, request, hashes)
        if (recorded || !writes) {
          // A request without changes writes nothing, not even a receipt: resending it can change nothing.
          //
          // Read the cursor BEFORE the rows. Writers hold the SyncState row lock until they commit and stamp
          // their rows with the cursor value they set, so once cursor c is committed, every version <= c is
          // committed too (READ COMMITTED: each later statement sees all of them). A writer that commits
          // between the two reads has a version > c: its rows may come back now AND next time, never lost.
          const state = await readCursor(tx)
          const read = chooseReadMode(request.cursor, BigInt(state.cursor), BigInt(state.floor))
          // A replay acknowledges what its receipt lists, where the rows are still as it wrote them (R9, G7).
          return {
            ...(await respond(tx, request.deviceId, state.cursor, read, recorded ?? noOutcome)),
            replayed: recorded !== null,
            applied: false,
          }
        }

        // Last write wins by arrival = the order in which syncs get this lock.
        const [lock] = await tx.query<{ version: string; floor: string }>(TAKE_LOCK_AND_VERSION)
        if (!lock) throw new Error('SyncState did not return the new cursor')
        const { version } = lock
        // Every earlier writer committed before we got the lock; our reads see them and our own writes, so
        // answering with our own version never skips anyone.
        const read = chooseReadMode(request.cursor, BigInt(version) - 1n, BigInt(lock.floor))

        // Idempotency, under the lock: a duplicate that raced us through the fast path has committed by now.
        const raced = await findReceipt(tx, request, hashes)
        if (raced)
          return {
            ...(await respond(tx, request.deviceId, version, read, raced)),
            replayed: true,
            applied: false,
          }

        const ctx: WriteContext = {
          tx,
          version,
          deviceId: request.deviceId,
          heldUpTo: read.mode === 'delta' ? BigInt(read.since) : null,
          acked: new Map(),
          rejected: [],
          overwrites: [],
          notices: [],
          tombstones: [],
        }
        // 1. SyncCompanies
        const parentOutcome = await syncParents(ctx, parent, child, deleteChildrenOf, parents)
        // 2. Remap children's parent keys (added AND modified) through the id dictionary.
        const remapped = remap(children, child.parentKey, parentOutcome.idMap)
        // 3. SyncContacts
        const childIdMap = await syncChildren(ctx, child, parent, parentOutcome, remapped)
        const outcome: SyncOutcome = {
          idMaps: { [parentSpec.name]: toIdMap(parentOutcome.idMap), [childSpec.name]: toIdMap(childIdMap) },
          rejected: ctx.rejected,
          overwrites: ctx.overwrites,
          version,
          acked: Object.fromEntries(ctx.acked),
        }
        await saveReceipt(tx, request, hash, outcome, ctx.tombstones, version)
        if (options.changeChannel !== undefined)
          await tx.query(NOTIFY_CHANGE, [options.changeChannel, `${version}:${request.deviceId}`])
        await saveOverwrites(tx, ctx.notices, version)
        // 4. Read back: a delta, or none at all for a full read (rule G8).
        return {
          ...(await respond(tx, request.deviceId, version, read, outcome)),
          replayed: false,
          applied: true,
        }
      }))

    // Rule G8: a full read that answers a write starts its download here, after the commit: the writers' lock is
    // never held while a table is read, not even to count it.
    const page = answer.page ?? (answer.pinned ? await pointTo(answer.pinned) : null)
    const response = shape(answer, page)
    options.log?.info(answer.applied ? 'sync applied' : answer.replayed ? 'sync replayed' : 'sync read', {
      deviceId: request.deviceId,
      syncId: request.syncId,
      mode: response.mode,
      cursor: response.cursor,
      records: answer.data.parents.length + answer.data.children.length,
      ...(page ? { page: page.next === null ? 'last' : 'more' } : {}),
      rejected: response.rejected.length,
      ms: Date.now() - started,
    })
    return response
  }

  /** Rule G4: the request's page token, read strictly; a page asked for with changes or a cursor is refused. */
  function readToken(request: LooseRequest, writes: boolean): PageToken | null {
    if (request.page === undefined || request.page === null) return null
    if (writes || (request.cursor !== undefined && request.cursor !== null))
      throw new InvalidPageError(
        'page: a next page is asked for with no cursor and no changes (rule G4); sync the changes after the download',
      )
    const decoded = decodePageToken(request.page)
    if (!decoded.ok) throw new InvalidPageError(decoded.message)
    return decoded.token
  }

  /**
   * The common sync that sends nothing (a no-op, a device catching up, a page of a download): no transaction,
   * no lock, no receipt, and for a delta ONE statement (see readOnlySql). Null when this attempt has a receipt:
   * the transactional path answers that replay.
   */
  async function readWithoutWriting(
    request: LooseRequest,
    hashes: readonly string[],
    token: PageToken | null,
  ): Promise<Answer | null> {
    const since = request.cursor && BigInt(request.cursor) <= MAX_BIGINT ? request.cursor : null
    const [row] = await db.query<ReadOnlyRow>(readOnly, [since, request.deviceId, request.syncId])
    if (!row) throw new Error('the read-only sync returned no row')
    if (row.receiptHash !== null) {
      if (!hashes.includes(row.receiptHash)) throw new SyncIdReusedError(request.deviceId, request.syncId)
      return null
    }
    const read = chooseReadMode(request.cursor, BigInt(row.cursor), BigInt(row.floor))
    const overwritten = row.overwritten ?? []
    const base = { outcome: noOutcome, overwritten, acks: noAcks, replayed: false, applied: false }
    if (read.mode === 'delta') return { ...base, cursor: row.cursor, read, data: deltaOf(row) }
    // Rule G6: a token pinned below the tombstone floor (its delta could miss deletes), or above the cursor (a
    // reset database), starts a new download at the current cursor.
    const resumable =
      token !== null &&
      BigInt(token.cursor) >= BigInt(row.floor) &&
      BigInt(token.cursor) <= BigInt(row.cursor)
    const from = resumable ? token : await startOfDownload(db, tables, row.cursor)
    // A download's first page is small, so the first screen fills fast; G8's token points at one too.
    const first = from.entity === 'parents' && from.after.id === 0
    const page = await readPage(db, tables, from, first ? bounds.firstRecords : bounds.records, bounds.bytes)
    const data = { parents: page.parents, children: page.children, removedParents: [], removedChildren: [] }
    return { ...base, cursor: page.cursor, read, data, page }
  }

  /**
   * Inside a transaction: a delta since the device's cursor, less what is acknowledged (G7); or, for a full read,
   * no rows at all and a download to start at `cursor` once the transaction is over (G8).
   */
  async function respond(
    tx: SqlExecutor,
    deviceId: string,
    cursor: string,
    read: ReadMode,
    outcome: SyncOutcome,
  ): Promise<Omit<Answer, 'replayed' | 'applied'>> {
    const overwritten = await readOverwritten(tx, deviceId, read)
    const acks = await readAcks(tx, outcome)
    if (read.mode === 'full')
      return { cursor, read, data: noRows, outcome, overwritten, acks, pinned: cursor }
    const ackedIds = (table: EntityTable) =>
      outcome.version === undefined ? [] : (outcome.acked?.[table.spec.name] ?? [])
    const [row] = await tx.query<ReadBack>(unackedDelta, [
      read.since,
      outcome.version ?? '0',
      JSON.stringify(ackedIds(parent)),
      JSON.stringify(ackedIds(child)),
    ])
    if (!row) throw new Error('the delta read returned no row')
    return { cursor, read, data: row, outcome, overwritten, acks }
  }

  /** Rule G7: the acknowledged records that are still as this sync wrote them (one statement per entity). */
  async function readAcks(tx: SqlExecutor, outcome: SyncOutcome): Promise<Answer['acks']> {
    const { version, acked } = outcome
    if (version === undefined || acked === undefined) return noAcks
    const of = async (table: EntityTable) => {
      const ids = acked[table.spec.name] ?? []
      return ids.length === 0
        ? []
        : await tx.query<WriteAck>(table.sql.selectAcks, [JSON.stringify(ids), version])
    }
    return { parents: await of(parent), children: await of(child) }
  }

  /** Rule G8: the first page's token of a download pinned at `cursor`, with its totals; no rows. */
  async function pointTo(cursor: string): Promise<Page> {
    const start = await startOfDownload(db, tables, cursor)
    return { cursor, parents: [], children: [], next: encodePageToken(start), total: start.total }
  }

  function shape(answer: Answer, page: Page | null): SyncResponse<S> {
    const { outcome, data } = answer
    return buildResponse(spec, {
      mode: answer.read.mode,
      cursor: answer.cursor,
      replayed: answer.replayed,
      parents: data.parents,
      children: data.children,
      removed: { parents: data.removedParents, children: data.removedChildren },
      parentIdMap: outcome.idMaps[parentSpec.name] ?? {},
      childIdMap: outcome.idMaps[childSpec.name] ?? {},
      rejected: outcome.rejected,
      // A receipt written before overwrites existed has none.
      overwrites: outcome.overwrites ?? [],
      overwritten: answer.overwritten,
      page: page ? { next: page.next, total: page.total } : null,
      written: answer.acks,
    })
  }

  return {
    sync,
    prune: () =>
      pruneSyncHistory(db, {
        tombstoneDays: options.tombstoneRetentionDays ?? 30,
        receiptDays: options.receiptRetentionDays ?? 30,
      }),
  }
}

const MAX_BIGINT = 2n ** 63n - 1n

/** What a sync found, before it is shaped into the declaration's response. */
interface Answer {
  cursor: string
  read: ReadMode
  data: ReadBack
  outcome: SyncOutcome
  overwritten: Overwrite[]
  acks: { parents: WriteAck[]; children: WriteAck[] }
  replayed: boolean
  applied: boolean
  /** A page of a download read outside any transaction (G1). */
  page?: Page
  /** Rule G8: a full read answered from a transaction; its download starts at this cursor. */
  pinned?: string
}

const noAcks: Answer['acks'] = { parents: [], children: [] }
const noRows: ReadBack = { parents: [], children: [], removedParents: [], removedChildren: [] }

function deltaOf(row: ReadOnlyRow): ReadBack {
  const { parents, children, removedParents, removedChildren } = row
  if (!parents || !children || !removedParents || !removedChildren)
    throw new Error('the read-only sync chose a delta but returned no rows')
  return { parents, children, removedParents, removedChildren }
}

/** The committed change cursor ('0' before the first write): what a live-updates stream starts from. */
export async function readChangeCursor(db: SqlExecutor): Promise<string> {
  return (await readCursor(db)).cursor
}

async function readCursor(tx: SqlExecutor): Promise<{ cursor: string; floor: string }> {
  const [row] = await tx.query<{ cursor: string; floor: string }>(READ_CURSOR)
  // No row yet: nothing was ever written.
  return row ?? { cursor: '0', floor: '0' }
}

/**
 * The seed's step 2, for added AND modified children: a negative parent key names a parent added in this
 * request and becomes its server id. A negative key with no mapping stays negative and is rejected later as a
 * missing parent (the schema already refuses it, so this is defence in depth).
 */
function remap(
  children: LooseChangeSet,
  parentKey: string,
  idMap: ReadonlyMap<number, number>,
): LooseChangeSet {
  const through = (record: WireRecord): WireRecord => {
    const ref = record[parentKey] as number
    return ref < 0 ? { ...record, [parentKey]: idMap.get(ref) ?? ref } : record
  }
  return {
    added: children.added.map(through),
    modified: children.modified.map(through),
    deleted: children.deleted,
  }
}

function toIdMap(map: ReadonlyMap<number, number>): IdMap {
  return Object.fromEntries([...map].map(([local, server]) => [String(local), server]))
}

import type { OneToManySpec, Rejection, SyncResponse } from '@offline-sync/protocol'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { sortFieldOf, sortKey, toStored, type StoredRecord } from './stored-record.ts'

type AnyResponse = SyncResponse<OneToManySpec>
type ServerRecord = Record<string, unknown> & { id: number; uid: string }

export interface ApplyProgress {
  (done: number, total: number): void
}

/** Records written per bulk call: big enough to stay near bare IndexedDB speed, small enough to report progress. */
const CHUNK = 10_000

/**
 * Applies a validated response in ONE Dexie transaction over both tables, the outbox and meta; nothing is awaited
 * in it but Dexie. Full mode replaces both tables with the server's records; delta mode upserts the returned
 * records and deletes `removed` ids in place. Then every pending local record is settled against the request it
 * was (or was not) part of — see `settle`. Finally the outbox is cleared and the cursor stored.
 * Resolves false, changing nothing, if the outbox no longer holds this request. Rejects only on a Dexie error
 * (the transaction is then rolled back and the outbox kept).
 */
export async function applyResponse(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  response: AnyResponse,
  progress: ApplyProgress,
): Promise<boolean> {
  const { parent, child } = spec
  const parentKey = child.parentKey
  const serverParents = response[parent.plural] as unknown as ServerRecord[]
  const serverChildren = response[child.plural] as unknown as ServerRecord[]
  const removed = response.removed as Record<string, number[]>
  const parentMap = response[`${parent.name}IdMap`] as Record<string, number>
  const childMap = response[`${child.name}IdMap`] as Record<string, number>
  const rejections = new Map<string, Rejection>()
  for (const r of response.rejected) rejections.set(`${r.entity}:${r.uid}`, r)
  const at = new Date().toISOString()
  const full = response.mode === 'full'
  const total = serverParents.length + serverChildren.length
  let done = 0

  const putServer = async (table: LocalDatabase['parents'], records: ServerRecord[], sortField: string) => {
    for (let i = 0; i < records.length; i += CHUNK) {
      const slice = records.slice(i, i + CHUNK)
      // Server records are active and clean: no `_pending`, and `_sort` computed inline (no second spread).
      await table.bulkPut(
        slice.map((r) => ({ ...r, rev: 0, syncError: null, _sort: sortKey(r[sortField]) }) as StoredRecord),
      )
      done += slice.length
      progress(done, total)
    }
  }

  return db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    const current = await db.outbox.get('current')
    if (current?.request.syncId !== entry.request.syncId) return false
    // Read before writing anything: these are the local changes to keep or settle.
    const pendingParents = await db.parents.where('_pending').equals(1).toArray()
    const pendingChildren = await db.children.where('_pending').equals(1).toArray()

    if (full) {
      await db.parents.clear()
      await db.children.clear()
    } else {
      const goneParentIds = removed[parent.plural] ?? []
      const goneParents = await db.parents.where('id').anyOf(goneParentIds).primaryKeys()
      // The server cascades a parent's delete to its children; do the same even if `removed` omits them.
      const goneChildren = [
        ...(await db.children
          .where('id')
          .anyOf(removed[child.plural] ?? [])
          .primaryKeys()),
        ...(await db.children.where(parentKey).anyOf(goneParentIds).primaryKeys()),
      ]
      await db.parents.bulkDelete(goneParents)
      await db.children.bulkDelete(goneChildren)
    }
    progress(0, total)
    await putServer(db.parents, serverParents, sortFieldOf(parent))
    await putServer(db.children, serverChildren, sortFieldOf(child))

    const settleAll = (
      entity: string,
      records: StoredRecord[],
      idMap: Record<string, number>,
      returned: ServerRecord[],
    ) => {
      const returnedUids = new Set(returned.map((r) => r.uid))
      const puts: StoredRecord[] = []
      const drops: string[] = []
      for (const record of records) {
        const outcome = settle(record, {
          sentRev: entry.sentRevs[record.uid],
          rejection: rejections.get(`${entity}:${record.uid}`),
          mappedId: record.id < 0 ? idMap[String(record.id)] : undefined,
          returned: returnedUids.has(record.uid),
          full,
          at,
        })
        if (outcome === 'drop') drops.push(record.uid)
        else if (outcome !== 'server') {
          const ref = outcome[parentKey]
          if (
            entity === child.name &&
            typeof ref === 'number' &&
            ref < 0 &&
            parentMap[String(ref)] !== undefined
          ) {
            outcome[parentKey] = parentMap[String(ref)]
          }
          puts.push(toStored(outcome, sortFieldOf(entity === parent.name ? parent : child)))
        }
      }
      return { puts, drops }
    }
    const p = settleAll(parent.name, pendingParents, parentMap, serverParents)
    const c = settleAll(child.name, pendingChildren, childMap, serverChildren)
    await db.parents.bulkDelete(p.drops)
    await db.children.bulkDelete(c.drops)
    await db.parents.bulkPut(p.puts)
    await db.children.bulkPut(c.puts)

    await db.outbox.delete('current')
    await db.meta.bulkPut([
      { key: 'cursor', value: response.cursor },
      { key: 'lastSyncedAt', value: at },
    ])
    // A full response brings every server value back, which is what a discard asked for.
    if (full) await db.meta.delete('refresh')
    return true
  })
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
    return { ...record, id: serverId, isFromServer: true, isModified: false }
  }
  if (ctx.mappedId !== undefined) {
    return { ...record, id: ctx.mappedId, isFromServer: true, isModified: true }
  }
  // Deleted here before the server ever created it: nothing left to tell the server.
  if (!record.isFromServer && !record.isActive) return 'drop'
  return record
}

import type { SqlExecutor } from './ports.ts'
import type { EntityTable } from './sync-entities.ts'

export type ReadMode = { mode: 'full' } | { mode: 'delta'; since: string }

/**
 * Rule R15/R16: full when the device has no cursor, one from the future (a reset database, or forged), or one
 * older than the tombstone floor (the deletes it missed were pruned); otherwise a delta since its cursor.
 * `committed` is the newest version whose writes are all visible to this sync.
 */
export function chooseReadMode(
  requestCursor: string | null | undefined,
  committed: bigint,
  floor: bigint,
): ReadMode {
  if (requestCursor === null || requestCursor === undefined) return { mode: 'full' }
  const since = BigInt(requestCursor)
  if (since > committed || since < floor) return { mode: 'full' }
  return { mode: 'delta', since: requestCursor }
}

export type ServerRow = Record<string, unknown>

export interface ReadBack {
  parents: ServerRow[]
  children: ServerRow[]
  removedParents: number[]
  removedChildren: number[]
}

/** The seed's "retrieve all records", or only what changed since a cursor, with the sync flags of rule R15 (selected in SQL). */
export async function readBack(
  tx: SqlExecutor,
  tables: readonly [EntityTable, EntityTable],
  read: ReadMode,
): Promise<ReadBack> {
  const [parent, child] = tables
  if (read.mode === 'full') {
    return {
      parents: await tx.query(parent.sql.selectAll),
      children: await tx.query(child.sql.selectAll),
      removedParents: [],
      removedChildren: [],
    }
  }
  const removed = async (table: EntityTable) =>
    (await tx.query<{ id: number }>(table.sql.removedSince, [read.since, table.spec.table])).map((r) => r.id)
  return {
    parents: await tx.query(parent.sql.selectChangedSince, [read.since]),
    children: await tx.query(child.sql.selectChangedSince, [read.since]),
    removedParents: await removed(parent),
    removedChildren: await removed(child),
  }
}

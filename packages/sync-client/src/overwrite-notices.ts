import type { Overwrite, SyncResponse, OneToManySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase } from './local-database.ts'
import type { createLocalWrites } from './local-writes.ts'

type LocalWrites = ReturnType<typeof createLocalWrites>

/**
 * An overwrite as the device keeps it for the person (rules M4, M5):
 * - side 'mine': this device's value (`written`) replaced `replaced`, which another device had written after
 *   this device's base. "Name: your 'X' replaced 'Y' from another device — Keep mine / Use theirs".
 * - side 'theirs': another device's `written` replaced this device's `replaced`.
 * `field` null: a delete against an edit (rule M7). Dismissed ones stay (flagged) so a full sync that lists
 * them again does not bring them back.
 */
export type KeptOverwrite = Overwrite & {
  side: 'mine' | 'theirs'
  /** Identity across resends and full syncs: side, entity, uid, field and version. */
  key: string
  /** When this device received it. */
  at: string
  dismissed?: boolean
}

/** At most this many are kept; the oldest dismissed ones go first. */
const MAX_KEPT = 500

const keyOf = (side: KeptOverwrite['side'], o: Overwrite) =>
  `${side}:${o.entity}:${o.uid}:${o.field ?? '*'}:${o.version}`

/** The overwrites a response reports, in the shape kept on the device. Pure. */
export function keptOverwrites(response: SyncResponse<OneToManySpec>, at: string): KeptOverwrite[] {
  return [
    ...response.overwrites.map((o) => ({ ...o, side: 'mine' as const, key: keyOf('mine', o), at })),
    ...response.overwritten.map((o) => ({ ...o, side: 'theirs' as const, key: keyOf('theirs', o), at })),
  ]
}

async function readKept(db: LocalDatabase): Promise<KeptOverwrite[]> {
  const value = (await db.meta.get('overwrites'))?.value
  return Array.isArray(value) ? (value as KeptOverwrite[]) : []
}

/** Adds the new ones (by key) to the kept list. Call inside a transaction over `db.meta`. */
export async function keepOverwrites(db: LocalDatabase, incoming: readonly KeptOverwrite[]): Promise<void> {
  if (incoming.length === 0) return
  const kept = await readKept(db)
  const known = new Set(kept.map((o) => o.key))
  const added = incoming.filter((o) => !known.has(o.key) && known.add(o.key))
  if (added.length === 0) return
  let next = [...kept, ...added]
  while (next.length > MAX_KEPT) {
    const i = next.findIndex((o) => o.dismissed)
    next = next.filter((_, j) => j !== (i === -1 ? 0 : i))
  }
  await db.meta.put({ key: 'overwrites', value: next })
}

/** The overwrites waiting for the person, oldest first; only those of one record when `uid` is given. */
export async function listOverwrites(db: LocalDatabase, uid?: string): Promise<KeptOverwrite[]> {
  return (await readKept(db)).filter((o) => !o.dismissed && (uid === undefined || o.uid === uid))
}

export interface OverwriteActions {
  /** Keep this device's value: for 'mine' it is already there (dismiss); for 'theirs' it is written again (an edit that syncs). */
  keepMine(key: string): Promise<void>
  /** Take the other device's value: for 'mine' it is written back (an edit that syncs); for 'theirs' it is already there. */
  useTheirs(key: string): Promise<void>
}

/**
 * The two answers to a kept overwrite. Writing a value is an ordinary local edit (LocalWrites.update), so it
 * syncs like any other; a record deleted meanwhile, or a delete against an edit, can only be dismissed.
 */
export function createOverwriteActions(db: LocalDatabase, writes: LocalWrites): OverwriteActions {
  async function resolve(key: string, write: (o: KeptOverwrite) => string | number | null | undefined) {
    const entry = (await readKept(db)).find((o) => o.key === key)
    if (!entry) return
    const value = write(entry)
    if (entry.field !== null && value !== undefined) {
      const table = db.tableOf(entry.entity)
      const record = await table.get(entry.uid)
      if (record?.isActive && (record[entry.field] ?? null) !== value)
        await writes.update(entry.entity, entry.uid, { [entry.field]: value })
    }
    await db.transaction('rw', [db.meta], async () => {
      const kept = await readKept(db)
      await db.meta.put({
        key: 'overwrites',
        value: kept.map((o) => (o.key === key ? { ...o, dismissed: true } : o)),
      })
    })
  }
  return {
    keepMine: (key) => resolve(key, (o) => (o.side === 'theirs' ? o.replaced : undefined)),
    useTheirs: (key) => resolve(key, (o) => (o.side === 'mine' ? o.replaced : undefined)),
  }
}

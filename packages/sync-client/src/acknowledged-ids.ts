import type { LocalDatabase } from './local-database.ts'

/**
 * The server ids that parents added on this device were given, by their former local (negative) id: `{ "-3": 41 }`.
 *
 * A screen holds a parent by the id it read (a form to add a contact under a company the device just made). The
 * sync that acknowledges that company gives it its server id in between, and the write then names an id no record
 * has any more. Local ids are never reused (nextLocalId only goes down), so a former id names one parent for good:
 * a write resolves it here instead of refusing with "no longer exists". Kept for the newest MAX_KEPT adds only: a
 * screen is not held open across thousands of acknowledged adds.
 */
const MAX_KEPT = 5_000

export async function rememberAcknowledgedIds(
  db: LocalDatabase,
  idMap: Record<string, number>,
): Promise<void> {
  const added = Object.entries(idMap)
  if (added.length === 0) return
  const kept = await readAcknowledgedIds(db)
  for (const [local, id] of added) kept[local] = id
  // The newest adds have the lowest local ids: keep those.
  const locals = Object.keys(kept).sort((a, b) => Number(a) - Number(b))
  const value = Object.fromEntries(locals.slice(0, MAX_KEPT).map((local) => [local, kept[local]]))
  await db.meta.put({ key: 'acknowledgedIds', value })
}

async function readAcknowledgedIds(db: LocalDatabase): Promise<Record<string, number>> {
  const value = (await db.meta.get('acknowledgedIds'))?.value
  return value && typeof value === 'object' ? { ...(value as Record<string, number>) } : {}
}

/** The id a parent reference names now: a former local id becomes its server id; any other is returned as is. */
export async function currentParentId(db: LocalDatabase, ref: number): Promise<number> {
  if (ref >= 0) return ref
  return (await readAcknowledgedIds(db))[String(ref)] ?? ref
}

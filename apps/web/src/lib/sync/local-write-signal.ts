/**
 * Tells the automatic sync that a local write was committed (lib/db.ts announces after each create, update and
 * delete). Syncs themselves write too, but not through here, so a sync never schedules another one.
 */
const listeners = new Set<() => void>()

export function announceLocalWrite(): void {
  for (const listener of listeners) listener()
}

/** Returns the function that stops listening. */
export function onLocalWrite(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * Runs fn while holding the cross-tab sync lock; resolves `{ ran: false }` at once if another tab or caller
 * holds it. Rejects only if fn rejects (the lock is released either way).
 */
export type SyncLock = <T>(fn: () => Promise<T>) => Promise<{ ran: true; value: T } | { ran: false }>

/** A lock for one JavaScript realm: enough for Node tests and for a single tab. */
export function memorySyncLock(): SyncLock {
  let held = false
  return async (fn) => {
    if (held) return { ran: false }
    held = true
    try {
      return { ran: true, value: await fn() }
    } finally {
      held = false
    }
  }
}

interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>
}

// One fallback per lock name, so every engine of this realm that asks for the same name shares it.
const fallbacks = new Map<string, SyncLock>()

/**
 * The Web Locks API lock (`navigator.locks.request(name, { ifAvailable: true }, …)`): only one tab of the origin
 * syncs at a time, and a tab that is closed mid-sync releases it. Where the API is missing (old browsers, Node
 * before 22) it falls back to a per-name in-memory lock, which still keeps one realm from syncing twice.
 */
export function webSyncLock(name = 'offline-sync'): SyncLock {
  return async <T>(fn: () => Promise<T>) => {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks
    if (!locks) {
      let fallback = fallbacks.get(name)
      if (!fallback) fallbacks.set(name, (fallback = memorySyncLock()))
      return fallback(fn)
    }
    return locks.request(
      name,
      { ifAvailable: true },
      async (lock): Promise<{ ran: true; value: T } | { ran: false }> => {
        if (lock === null) return { ran: false }
        return { ran: true, value: await fn() }
      },
    )
  }
}

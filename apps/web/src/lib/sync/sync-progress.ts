import type { SyncProgress } from '@offline-sync/sync-client'

/** The engine's latest progress event while a sync runs (null when idle), as a tiny external store. */
let current: SyncProgress | null = null
const listeners = new Set<() => void>()

export function setSyncProgress(progress: SyncProgress | null): void {
  current = progress
  for (const listener of listeners) listener()
}

export function getSyncProgress(): SyncProgress | null {
  return current
}

export function subscribeToSyncProgress(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

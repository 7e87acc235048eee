import { useSyncExternalStore } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { queries } from '../../../lib/db.ts'
import { getSyncProgress, subscribeToSyncProgress } from '../../../lib/sync/sync-progress.ts'

/** Changes on this device the server does not have yet, live. undefined while loading. */
export function usePendingCount(): number | undefined {
  return useLiveQuery(() => queries.pendingCount(), [])
}

/** When the device last applied a sync response, and its id; live. */
export function useSyncState() {
  return useLiveQuery(() => queries.syncState(), [])
}

/** The engine's latest progress event while a sync runs. */
export function useSyncProgress() {
  return useSyncExternalStore(subscribeToSyncProgress, getSyncProgress, () => null)
}

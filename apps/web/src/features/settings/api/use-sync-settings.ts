import { useSyncExternalStore } from 'react'
import { syncSettings, type SyncSettings } from '../../../lib/sync/sync-settings.ts'
import { liveStream } from '../../../lib/sync/auto-sync.ts'
import type { EventStreamState } from '@offline-sync/sync-client'

/** The device's automatic-sync settings; re-renders when they change (here or in another tab). */
export function useSyncSettings(): [SyncSettings, (change: Partial<SyncSettings>) => void] {
  const settings = useSyncExternalStore(syncSettings.subscribe, syncSettings.get, syncSettings.get)
  return [settings, syncSettings.update]
}

/** The live-updates stream's state, re-rendered as it changes. */
export function useLiveStreamState(): EventStreamState {
  return useSyncExternalStore(liveStream.subscribe, liveStream.state, liveStream.state)
}

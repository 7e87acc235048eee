import { createContext, useContext } from 'react'
import type { SyncReport } from '@offline-sync/sync-client'
import type { SyncTrigger } from '../../../lib/sync/sync-triggers.ts'
import type { SyncRunError } from './sync-run-error.ts'

export interface SyncControl {
  /** Starts a sync unless one is already under way (running or waiting to retry); then it is ignored. */
  requestSync: (trigger: Exclude<SyncTrigger, 'retry'>) => void
  /** A sync attempt is running right now. */
  running: boolean
  /** A sync is under way: running, or waiting for its next retry. */
  busy: boolean
  /** The latest failure of the current or last sync; null once a sync succeeds. */
  error: SyncRunError | null
  /** When the next timer retry starts (ms since epoch), while waiting for one. */
  nextRetryAt: number | null
  /** How many attempts of the current/last sync failed. */
  failureCount: number
  /** The last sync's report, when it did not fail. */
  lastReport: SyncReport | undefined
}

export const SyncContext = createContext<SyncControl | null>(null)

/** The app's sync control. Throws when used outside <SyncProvider>. */
export function useSync(): SyncControl {
  const control = useContext(SyncContext)
  if (!control) throw new Error('useSync() needs a <SyncProvider> above it')
  return control
}

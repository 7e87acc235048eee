import { useCallback, useEffect, useMemo, type ReactNode } from 'react'
import { syncTriggers } from '../../../lib/sync/sync-triggers.ts'
import { SyncContext, type SyncControl } from '../api/sync-context.ts'
import { useSyncMutation } from '../api/use-sync-mutation.ts'

/** Owns the one sync mutation and the automatic triggers (startup when online, the `online` event). */
export function SyncProvider({ children }: { children: ReactNode }) {
  const { mutation, start, running, nextRetryAt } = useSyncMutation()
  const requestSync = useCallback<SyncControl['requestSync']>((trigger) => void start(trigger), [start])

  useEffect(() => syncTriggers.watch(requestSync), [requestSync])

  const error = mutation.failureReason ?? mutation.error ?? null
  const control = useMemo<SyncControl>(
    () => ({
      requestSync,
      running,
      busy: mutation.isPending,
      error: mutation.isSuccess ? null : error,
      nextRetryAt,
      failureCount: mutation.failureCount,
      lastReport: mutation.data,
    }),
    [
      requestSync,
      running,
      mutation.isPending,
      mutation.isSuccess,
      error,
      nextRetryAt,
      mutation.failureCount,
      mutation.data,
    ],
  )

  return <SyncContext.Provider value={control}>{children}</SyncContext.Provider>
}

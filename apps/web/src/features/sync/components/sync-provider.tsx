import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { queries } from '../../../lib/db.ts'
import { startAutoSync, type RequestedTrigger } from '../../../lib/sync/auto-sync.ts'
import { SyncContext, type SyncControl } from '../api/sync-context.ts'
import { useSyncMutation } from '../api/use-sync-mutation.ts'

/**
 * Owns the one sync mutation and every automatic trigger (lib/sync/auto-sync.ts: startup, back online, after local
 * writes, on resume, periodic, live notices). The Sync button goes through the same scheduler, so one sync runs
 * and at most one more waits.
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const { mutation, start, running, nextRetryAt } = useSyncMutation()
  const startRef = useRef(start)
  startRef.current = start
  const autoSync = useRef<ReturnType<typeof startAutoSync> | null>(null)

  useEffect(() => {
    const started = startAutoSync({
      run: (trigger) => startRef.current(trigger),
      deviceState: () => queries.syncState(),
    })
    autoSync.current = started
    return () => {
      started.stop()
      if (autoSync.current === started) autoSync.current = null
    }
  }, [])

  const requestSync = useMemo<SyncControl['requestSync']>(
    () => (trigger: RequestedTrigger) => {
      if (autoSync.current) autoSync.current.request(trigger)
      else void startRef.current(trigger)
    },
    [],
  )

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

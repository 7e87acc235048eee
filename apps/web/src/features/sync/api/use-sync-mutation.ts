import { useCallback, useRef, useState } from 'react'
import { useMutation } from '@tanstack/react-query'
import { syncUntilSettled, type SyncReport } from '@offline-sync/sync-client'
import { setSyncProgress } from '../../../lib/sync/sync-progress.ts'
import { yieldToMain } from '../../../lib/yield-to-main.ts'
import type { SyncTrigger } from '../../../lib/sync/sync-triggers.ts'
import { SyncRunError } from './sync-run-error.ts'
import { shouldRetrySync, syncRetryDelay } from './sync-retry-policy.ts'

/** Syncs until nothing is left to send (a backlog larger than one request goes in several round trips). */
async function runEngine(trigger: SyncTrigger): Promise<SyncReport> {
  try {
    // The task that starts a sync (the startup sync's idle callback) already holds react-query's bookkeeping and the
    // sync bar's update; asking for the engine's chunk (Vite's preload links) waits for the next one.
    await yieldToMain()
    // Loaded on first sync, not with the first screen: the engine brings zod (response validation), ~25 KB gzip.
    const { syncEngine } = await import('../../../lib/sync/sync-engine.ts')
    // Timer retries stay with react-query (below), which shows them; the engine's loop only sends the parts.
    return await syncUntilSettled(syncEngine, { trigger })
  } catch (err) {
    throw SyncRunError.fromStorage(err)
  }
}

/**
 * The sync as a react-query mutation: pending / error / retry state for the UI, retries with full-jitter backoff
 * honouring Retry-After. networkMode 'always', because the engine itself decides what offline means.
 */
export function useSyncMutation() {
  const attempt = useRef(0)
  // Set synchronously, so two triggers in the same tick (startup + online) cannot both start a sync.
  const underWay = useRef(false)
  const [running, setRunning] = useState(false)
  const [nextRetryAt, setNextRetryAt] = useState<number | null>(null)

  const mutation = useMutation<SyncReport, SyncRunError, SyncTrigger>({
    mutationKey: ['sync'],
    networkMode: 'always',
    onMutate: () => {
      attempt.current = 0
    },
    mutationFn: async (trigger) => {
      // react-query calls this again for each retry with the same variables: tell the engine it is a retry.
      const effective: SyncTrigger = attempt.current++ === 0 ? trigger : 'retry'
      setNextRetryAt(null)
      setRunning(true)
      try {
        const report = await runEngine(effective)
        if (report.outcome === 'failed') throw SyncRunError.fromReport(report)
        return report
      } finally {
        setRunning(false)
        setSyncProgress(null)
      }
    },
    retry: shouldRetrySync,
    retryDelay: (failureCount, error) => {
      const delay = syncRetryDelay(failureCount, error)
      setNextRetryAt(Date.now() + delay)
      return delay
    },
    onSettled: () => {
      underWay.current = false
      setNextRetryAt(null)
    },
  })

  const { mutateAsync } = mutation
  const current = useRef<Promise<SyncReport> | null>(null)
  /**
   * Starts a sync unless one is under way (running or waiting to retry); returns the promise of the sync that
   * runs (this one or the one under way): it resolves with its report, or rejects once its retries are spent.
   */
  const start = useCallback(
    (trigger: SyncTrigger): Promise<SyncReport> => {
      if (underWay.current && current.current) return current.current
      underWay.current = true
      const run = mutateAsync(trigger)
      current.current = run
      // The caller may drop this promise; the failure is in the mutation's state for the UI.
      run.catch(() => undefined)
      return run
    },
    [mutateAsync],
  )

  return { mutation, start, running, nextRetryAt }
}

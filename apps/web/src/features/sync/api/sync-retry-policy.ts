import { retryDelayMs } from '@offline-sync/sync-client'
import type { SyncRunError } from './sync-run-error.ts'

/** Timer retries after a failed sync; after that, the next trigger (button, online, restart) tries again. */
export const MAX_SYNC_RETRIES = 8

/**
 * Whether react-query should resend. `failureCount` is 0 after the first failure. Offline is not retried by a
 * timer: the browser's `online` event triggers the next sync the moment it can work.
 */
export function shouldRetrySync(failureCount: number, error: SyncRunError): boolean {
  return error.retryable && error.kind !== 'offline' && failureCount < MAX_SYNC_RETRIES
}

/** Full-jitter backoff (1 s base, 60 s cap), never sooner than the server's Retry-After. */
export function syncRetryDelay(failureCount: number, error: SyncRunError, random?: () => number): number {
  // react-query counts from 0; the engine's backoff numbers retries from 1.
  return retryDelayMs(failureCount + 1, { retryAfterMs: error.retryAfterMs, ...(random ? { random } : {}) })
}

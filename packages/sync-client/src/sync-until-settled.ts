import { retryDelayMs } from './backoff.ts'
import type { SyncReport, SyncTrigger } from './sync-engine.ts'

export interface SyncUntilSettledOptions {
  /** The first sync's trigger; the parts after it keep it, timer retries are 'retry'. Default 'manual'. */
  trigger?: SyncTrigger
  /** Bound on back-to-back syncs for one backlog, so the loop can never run away. Default 50 (a million records
   *  at LIMITS.maxRecordsPerRequest). */
  maxParts?: number
  /**
   * Timer retries after a retryable failure, each after retryDelayMs (full jitter, never sooner than the server's
   * Retry-After; rule R20). Default 0: the caller owns retries (the web app's react-query mutation does, to show
   * them). No local write happens in between, so each retry resends the same outbox under the same syncId.
   */
  maxRetries?: number
  /** How a retry waits. Default setTimeout. */
  wait?: (ms: number) => Promise<void>
  /** Randomness of the backoff's jitter. Default Math.random. */
  random?: () => number
  /** Awaited with every report, in order, before the next sync starts. */
  onReport?: (report: SyncReport) => void | Promise<void>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Syncs until nothing is left to send: a backlog larger than one request (`report.more`) goes in several round
 * trips, and a retryable failure is retried up to `maxRetries` times. Resolves the last report: 'synced' with
 * nothing more, 'busy', a failure that is not retryable (or out of retries), or 'synced' with `more` still set
 * when `maxParts` ran out. Rejects only as `engine.sync` does (the local database failed).
 */
export async function syncUntilSettled(
  engine: { sync(trigger: SyncTrigger): Promise<SyncReport> },
  options: SyncUntilSettledOptions = {},
): Promise<SyncReport> {
  const trigger = options.trigger ?? 'manual'
  const maxParts = options.maxParts ?? 50
  const maxRetries = options.maxRetries ?? 0
  const wait = options.wait ?? sleep
  let parts = 1
  let retries = 0
  let report = await engine.sync(trigger)
  for (;;) {
    await options.onReport?.(report)
    if (report.outcome === 'synced' && report.more && parts < maxParts) {
      parts++
      report = await engine.sync(trigger)
    } else if (report.outcome === 'failed' && report.error?.retryable && retries < maxRetries) {
      retries++
      await wait(
        retryDelayMs(retries, {
          retryAfterMs: report.error.retryAfterMs,
          ...(options.random ? { random: options.random } : {}),
        }),
      )
      report = await engine.sync('retry')
    } else {
      return report
    }
  }
}

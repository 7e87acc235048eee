import type { FailureKind, SyncReport } from '@offline-sync/sync-client'

/** Why a sync failed: a request failure kind from the engine, or 'storage' when IndexedDB itself failed. */
export type SyncErrorKind = FailureKind | 'storage'

/**
 * A failed sync, thrown from the mutation so react-query tracks error and retry state. Carries what the retry
 * policy needs: whether resending helps and the server's Retry-After.
 */
export class SyncRunError extends Error {
  override readonly name = 'SyncRunError'

  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly report?: SyncReport,
  ) {
    super(message)
  }

  /** From an engine report with outcome 'failed'. */
  static fromReport(report: SyncReport): SyncRunError {
    const error = report.error
    if (!error) return new SyncRunError('network', 'The sync failed', true, undefined, report)
    return new SyncRunError(error.kind, error.message, error.retryable, error.retryAfterMs, report)
  }

  /** The engine rejects only when the local database fails (quota, IndexedDB error); local data is unchanged. */
  static fromStorage(err: unknown): SyncRunError {
    return new SyncRunError('storage', err instanceof Error ? err.message : String(err), false)
  }
}

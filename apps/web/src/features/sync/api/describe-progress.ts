import type { SyncProgress } from '@offline-sync/sync-client'

const numbers = new Intl.NumberFormat('en')

/** "Syncing…" with what the engine is doing, for the sync bar. */
export function describeProgress(progress: SyncProgress | null): string {
  switch (progress?.phase) {
    case 'collecting':
      return 'Syncing… gathering your changes'
    case 'sending':
      return 'Syncing… waiting for the server'
    case 'applying':
      return progress.total
        ? `Syncing… saving ${numbers.format(progress.done ?? 0)} of ${numbers.format(progress.total)} records`
        : 'Syncing… saving'
    default:
      return 'Syncing…'
  }
}

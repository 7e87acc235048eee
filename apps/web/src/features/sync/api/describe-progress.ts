import type { SyncProgress } from '@offline-sync/sync-client'
import { formatNumber } from '../../../lib/format/locale-format.ts'

// In the browser's locale, as every number the app shows (issue 15).
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 })

/** "Syncing…" with what the engine is doing, for the sync bar. */
export function describeProgress(progress: SyncProgress | null): string {
  switch (progress?.phase) {
    case 'collecting':
      return 'Syncing… gathering your changes'
    case 'sending':
      return 'Syncing… waiting for the server'
    case 'downloading':
      return downloadProgress(progress)?.text ?? 'Syncing… downloading'
    case 'applying':
      return progress.total
        ? `Syncing… saving ${formatNumber(progress.done ?? 0)} of ${formatNumber(progress.total)} records`
        : 'Syncing… saving'
    default:
      return 'Syncing…'
  }
}

/** A download's progress bar: records stored of the download's total, and the share as a percent; null when none. */
export function downloadProgress(
  progress: SyncProgress | null,
): { done: number; total: number; text: string } | null {
  if (progress?.phase !== 'downloading' || !progress.total) return null
  const total = progress.total
  const done = Math.min(progress.done ?? 0, total)
  // Rounded down: "100%" only once every record is stored.
  const share = Math.floor((done / total) * 100) / 100
  return {
    done,
    total,
    text: `${formatNumber(done)} of ${formatNumber(total)} records · ${percent.format(share)}`,
  }
}

import type { StorageStatus } from './storage-status.ts'

/** Above this share of the quota, the next writes (or the next sync) may fail. */
export const QUOTA_WARNING_RATIO = 0.8
/** Unsynced changes older than this are one lost or reset phone away from being gone. */
export const SYNC_OVERDUE_MS = 3 * 24 * 60 * 60 * 1000

export type StorageRiskKind = 'not-persistent' | 'quota-nearly-full' | 'sync-overdue'

export interface StorageRisk {
  kind: StorageRiskKind
  message: string
}

export interface RiskInputs {
  status: StorageStatus
  /** Changes on this device the server does not have yet. */
  pending: number
  /** Epoch ms of the last applied sync response, null if never. */
  lastSyncedAt: number | null
  now: number
}

/**
 * Why the data on this device may be lost, most urgent first; empty when it is safe. Eviction and a stale sync
 * only threaten changes the server does not have, so they count only with pending changes; a nearly full quota
 * threatens the next write whatever is pending.
 */
export function assessStorageRisks({ status, pending, lastSyncedAt, now }: RiskInputs): StorageRisk[] {
  const risks: StorageRisk[] = []
  if (status.usage !== null && status.quota !== null && status.usage / status.quota > QUOTA_WARNING_RATIO) {
    const percent = Math.round((status.usage / status.quota) * 100)
    risks.push({
      kind: 'quota-nearly-full',
      message: `Storage for this app is ${percent}% full: new changes may not save. Sync, then free some space.`,
    })
  }
  if (pending > 0 && lastSyncedAt !== null && now - lastSyncedAt > SYNC_OVERDUE_MS) {
    const days = Math.floor((now - lastSyncedAt) / (24 * 60 * 60 * 1000))
    risks.push({
      kind: 'sync-overdue',
      message: `Your changes have not reached the server for ${days} days. Sync as soon as you have a connection.`,
    })
  }
  if (pending > 0 && status.persisted === false) {
    risks.push({
      kind: 'not-persistent',
      message:
        'The browser may delete this app’s data when the phone runs low on space, including changes not yet synced.',
    })
  }
  return risks
}

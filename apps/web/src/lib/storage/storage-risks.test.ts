import { describe, expect, it } from 'vitest'
import { assessStorageRisks, SYNC_OVERDUE_MS } from './storage-risks.ts'
import type { StorageStatus } from './storage-status.ts'

const now = Date.parse('2026-11-29T12:00:00Z')
const safe: StorageStatus = { persisted: true, usage: 10, quota: 100 }
const kinds = (inputs: Parameters<typeof assessStorageRisks>[0]) =>
  assessStorageRisks(inputs).map((r) => r.kind)

describe('assessStorageRisks', () => {
  it('finds nothing when storage is persistent, roomy and recently synced', () => {
    expect(kinds({ status: safe, pending: 3, lastSyncedAt: now - 1000, now })).toEqual([])
  })

  it('warns about a non-persistent store only while changes are unsynced', () => {
    const status = { ...safe, persisted: false }
    expect(kinds({ status, pending: 1, lastSyncedAt: now, now })).toEqual(['not-persistent'])
    expect(kinds({ status, pending: 0, lastSyncedAt: now, now })).toEqual([])
    // Unknown (no StorageManager) is not reported as a risk we cannot confirm.
    expect(kinds({ status: { ...safe, persisted: null }, pending: 1, lastSyncedAt: now, now })).toEqual([])
  })

  it('warns above 80% of the quota, with or without pending changes', () => {
    const status = { ...safe, usage: 81, quota: 100 }
    const risks = assessStorageRisks({ status, pending: 0, lastSyncedAt: now, now })
    expect(risks.map((r) => r.kind)).toEqual(['quota-nearly-full'])
    expect(risks[0]?.message).toContain('81%')
    expect(kinds({ status: { ...safe, usage: 80, quota: 100 }, pending: 0, lastSyncedAt: now, now })).toEqual(
      [],
    )
  })

  it('warns when pending changes have waited more than three days for a sync', () => {
    const old = now - SYNC_OVERDUE_MS - 24 * 60 * 60 * 1000
    const risks = assessStorageRisks({ status: safe, pending: 2, lastSyncedAt: old, now })
    expect(risks.map((r) => r.kind)).toEqual(['sync-overdue'])
    expect(risks[0]?.message).toContain('4 days')
    expect(kinds({ status: safe, pending: 0, lastSyncedAt: old, now })).toEqual([])
    expect(kinds({ status: safe, pending: 2, lastSyncedAt: now - SYNC_OVERDUE_MS + 1, now })).toEqual([])
  })

  it('lists every risk at once, the most urgent first', () => {
    const status = { persisted: false, usage: 95, quota: 100 }
    expect(kinds({ status, pending: 1, lastSyncedAt: 0, now })).toEqual([
      'quota-nearly-full',
      'sync-overdue',
      'not-persistent',
    ])
  })
})

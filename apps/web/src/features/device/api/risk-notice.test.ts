import { describe, expect, it } from 'vitest'
import type { StorageRisk } from '../../../lib/storage/storage-risks.ts'
import { readDismissed, risksToShow, writeDismissed } from './risk-notice.ts'

const risk = (kind: StorageRisk['kind']): StorageRisk => ({ kind, message: kind })

function memoryStorage() {
  const map = new Map<string, string>()
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) }
}

describe('the storage notice', () => {
  it('shows every risk until dismissed, then nothing while the same risk stays, goes and comes back', () => {
    const storage = memoryStorage()
    expect(risksToShow([risk('not-persistent')], readDismissed(storage))).toHaveLength(1)
    writeDismissed(['not-persistent'], storage)
    expect(risksToShow([risk('not-persistent')], readDismissed(storage))).toEqual([])
    expect(risksToShow([], readDismissed(storage))).toEqual([])
    expect(risksToShow([risk('not-persistent')], readDismissed(storage))).toEqual([])
  })

  it('comes back, with every current risk, when a different risk appears', () => {
    const storage = memoryStorage()
    writeDismissed(['not-persistent'], storage)
    const shown = risksToShow([risk('quota-nearly-full'), risk('not-persistent')], readDismissed(storage))
    expect(shown.map((r) => r.kind)).toEqual(['quota-nearly-full', 'not-persistent'])
    writeDismissed(['quota-nearly-full', 'not-persistent'], storage)
    expect(risksToShow([risk('quota-nearly-full')], readDismissed(storage))).toEqual([])
  })

  it('treats an unreadable stored value as nothing dismissed', () => {
    const storage = memoryStorage()
    storage.setItem('storage-notice-dismissed', '{not json')
    expect([...readDismissed(storage)]).toEqual([])
  })
})

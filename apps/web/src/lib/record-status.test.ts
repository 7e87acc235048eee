import { describe, expect, it } from 'vitest'
import { canFixByEditing, recordSyncStatus, type SyncFlags } from './record-status.ts'

const flags = (over: Partial<SyncFlags>): SyncFlags => ({
  isFromServer: true,
  isModified: false,
  isActive: true,
  syncError: null,
  ...over,
})

describe('record sync status', () => {
  it('reads the three flags of the pattern', () => {
    expect(recordSyncStatus(flags({}))).toBe('synced')
    expect(recordSyncStatus(flags({ isFromServer: false }))).toBe('new')
    expect(recordSyncStatus(flags({ isModified: true }))).toBe('edited')
    expect(recordSyncStatus(flags({ isActive: false }))).toBe('edited')
  })

  it('R18: a refused change shows as refused until fixed or discarded', () => {
    const refused = flags({ isModified: true, syncError: { code: 'not_found', reason: 'gone' } })
    expect(recordSyncStatus(refused)).toBe('refused')
  })

  it('R18: offers Fix only where an edit can make the server accept the change', () => {
    expect(canFixByEditing(flags({ syncError: { code: 'invalid', reason: 'bad' } }))).toBe(true)
    expect(canFixByEditing(flags({ syncError: { code: 'not_found', reason: 'gone' } }))).toBe(false)
    expect(canFixByEditing(flags({ syncError: { code: 'parent_not_found', reason: 'gone' } }))).toBe(false)
    expect(canFixByEditing(flags({ isActive: false, syncError: { code: 'invalid', reason: 'bad' } }))).toBe(
      false,
    )
    expect(canFixByEditing(flags({}))).toBe(false)
  })
})

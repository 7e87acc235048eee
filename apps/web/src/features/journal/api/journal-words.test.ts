import { describe, expect, it } from 'vitest'
import { journalEntry, type SyncReport } from '@offline-sync/sync-client'
import { bytesText, outcomeText, receivedSummary, sentSummary, triggerText } from './journal-words.ts'

const report = (over: Partial<SyncReport> = {}): SyncReport => ({
  syncId: 's',
  trigger: 'manual',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  outcome: 'synced',
  sent: { companies: { added: 0, modified: 0, deleted: 0 }, contacts: { added: 0, modified: 0, deleted: 0 } },
  idMaps: { company: {}, contact: {} },
  rejected: [],
  received: { companies: 0, contacts: 0 },
  ...over,
})

describe('journal words', () => {
  it('sums up what a sync sent, per entity, leaving out what it did not send', () => {
    const entry = journalEntry(
      report({
        sent: {
          companies: { added: 2, modified: 0, deleted: 1 },
          contacts: { added: 0, modified: 1, deleted: 0 },
        },
      }),
    )
    expect(sentSummary(entry.sent)).toBe('3 companies (2 new, 1 deleted), 1 contact (1 edited)')
    expect(sentSummary(journalEntry(report()).sent)).toBe('Nothing to send')
  })

  it('sums up what came back, leaving out what did not', () => {
    expect(receivedSummary(journalEntry(report({ received: { companies: 2, contacts: 1 } })).received)).toBe(
      '2 companies, 1 contact',
    )
    expect(receivedSummary(journalEntry(report({ received: { companies: 0, contacts: 21 } })).received)).toBe(
      '21 contacts',
    )
    expect(receivedSummary(journalEntry(report()).received)).toBe('')
  })

  it('names the outcome and the trigger in words', () => {
    const refused = journalEntry(
      report({ rejected: [{ entity: 'company', id: 4, uid: 'u', code: 'not_found', reason: 'gone' }] }),
    )
    expect(outcomeText(refused)).toBe('Synced, 1 change refused')
    expect(outcomeText(journalEntry(report({ outcome: 'failed' })))).toBe('Failed')
    expect(triggerText('online')).toBe('Back online')
  })

  it('prints sizes in B, KB and MB', () => {
    expect(bytesText(512)).toBe('512 B')
    expect(bytesText(2048)).toBe('2 KB')
    expect(bytesText(3 * 1024 * 1024)).toBe('3 MB')
  })
})

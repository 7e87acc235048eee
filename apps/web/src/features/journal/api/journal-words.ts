import type { JournalEntry, SyncTrigger } from '@offline-sync/sync-client'
// The declaration itself, not lib/db.ts: these words need no open database.
import { companiesContacts as spec } from '@offline-sync/sync-protocol'
import { formatNumber } from '../../../lib/format/locale-format.ts'

const TRIGGERS: Record<SyncTrigger, string> = {
  manual: 'Sync button',
  startup: 'App opened',
  online: 'Back online',
  retry: 'Automatic retry',
  'local-change': 'After a change',
  resume: 'App back in view',
  periodic: 'Every few minutes',
  live: 'Change on another device',
  background: 'Sent in the background',
}

/** Who started the sync, as the user would say it. */
export const triggerText = (trigger: SyncTrigger): string => TRIGGERS[trigger] ?? trigger

export function outcomeText(entry: JournalEntry): string {
  if (entry.outcome === 'failed') return 'Failed'
  if (entry.outcome === 'rejected')
    return entry.rejected.length === 1
      ? 'Synced, 1 change refused'
      : `Synced, ${entry.rejected.length} refused`
  return 'Synced'
}

const ENTITY_WORDS: Record<string, [string, string]> = {
  [spec.parent.name]: ['company', 'companies'],
  [spec.parent.plural]: ['company', 'companies'],
  [spec.child.name]: ['contact', 'contacts'],
  [spec.child.plural]: ['contact', 'contacts'],
}

/** "1 company", "3 contacts", for an entity's name or plural. */
export function countOf(entity: string, n: number): string {
  const [one, many] = ENTITY_WORDS[entity] ?? [entity, entity]
  return `${formatNumber(n)} ${n === 1 ? one : many}`
}

export const entityWord = (entity: string): string => ENTITY_WORDS[entity]?.[0] ?? entity

/** "2 companies (1 new, 1 deleted), 3 contacts (3 edited)", or "Nothing to send". */
export function sentSummary(sent: JournalEntry['sent']): string {
  const parts: string[] = []
  for (const [plural, c] of Object.entries(sent)) {
    const total = c.added + c.edited + c.deleted
    if (total === 0) continue
    const how = [
      c.added ? `${formatNumber(c.added)} new` : '',
      c.edited ? `${formatNumber(c.edited)} edited` : '',
      c.deleted ? `${formatNumber(c.deleted)} deleted` : '',
    ].filter(Boolean)
    parts.push(`${countOf(plural, total)} (${how.join(', ')})`)
  }
  return parts.length ? parts.join(', ') : 'Nothing to send'
}

/** "2 companies, 21 contacts": what the server sent back, or "" when nothing. */
export function receivedSummary(received: JournalEntry['received']): string {
  return Object.entries(received)
    .filter(([, n]) => n > 0)
    .map(([plural, n]) => countOf(plural, n))
    .join(', ')
}

export function bytesText(n: number): string {
  if (n < 1024) return `${formatNumber(n)} B`
  if (n < 1024 * 1024) return `${formatNumber(Math.round(n / 102.4) / 10)} KB`
  return `${formatNumber(Math.round(n / 104_857.6) / 10)} MB`
}

export function durationText(ms: number): string {
  return ms < 1000 ? `${formatNumber(ms)} ms` : `${formatNumber(Math.round(ms / 100) / 10)} s`
}

const CHANGE_WORDS = { added: 'New', edited: 'Edited', deleted: 'Deleted' } as const
export const changeText = (change: keyof typeof CHANGE_WORDS): string => CHANGE_WORDS[change]

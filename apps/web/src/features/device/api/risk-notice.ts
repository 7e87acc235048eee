import type { StorageRisk, StorageRiskKind } from '../../../lib/storage/storage-risks.ts'

/** One short line per risk for the notice on every screen; the Device page gives the full text. */
export const shortRiskText: Record<StorageRiskKind, string> = {
  'quota-nearly-full': 'Storage is nearly full',
  'sync-overdue': 'Changes have not synced for days',
  'not-persistent': 'The browser may delete unsynced changes',
}

const KEY = 'storage-notice-dismissed'

/**
 * The risks the notice shows: none while every current risk was there when it was last dismissed. A dismissed
 * notice comes back only when a different risk appears (storage filling up, a sync days overdue), not each time
 * changes are pending again: pending changes are the normal state of someone working offline.
 */
export function risksToShow(
  risks: readonly StorageRisk[],
  dismissed: ReadonlySet<StorageRiskKind>,
): StorageRisk[] {
  return risks.some((r) => !dismissed.has(r.kind)) ? [...risks] : []
}

/** The kinds dismissed on this device (localStorage: it is about this phone, whichever account is open). */
export function readDismissed(storage: Pick<Storage, 'getItem'> = localStorage): Set<StorageRiskKind> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]')
    return new Set(
      Array.isArray(parsed) ? (parsed.filter((k) => typeof k === 'string') as StorageRiskKind[]) : [],
    )
  } catch {
    return new Set()
  }
}

/**
 * Dismissing adds the kinds shown now to those already dismissed: a risk that went away and came back is still one
 * the person has read about.
 */
export function writeDismissed(
  kinds: Iterable<StorageRiskKind>,
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): Set<StorageRiskKind> {
  const next = new Set([...readDismissed(storage), ...kinds])
  try {
    storage.setItem(KEY, JSON.stringify([...next]))
  } catch {
    // A full or blocked localStorage: the notice stays dismissed for this page's life only.
  }
  return next
}

/**
 * The person's choices of when syncs start by themselves, per device (localStorage: they are about this phone's
 * battery and data, not the account's records, and must be readable before any database opens). Every change is
 * applied at once: listeners run, in this tab and (through the `storage` event) in the others.
 */
export interface SyncSettings {
  /** Send my changes shortly after I save them (while online). */
  afterChanges: boolean
  /** Sync when the app opens and when it comes back to the foreground. */
  onOpen: boolean
  /** Sync when the connection comes back. */
  onReconnect: boolean
  /** Keep a live connection so changes from others arrive by themselves. */
  live: boolean
  /** Sync every N minutes while the app is in view; 0 is never. */
  everyMinutes: PeriodicChoice
}

export const PERIODIC_CHOICES = [0, 1, 5, 15] as const
export type PeriodicChoice = (typeof PERIODIC_CHOICES)[number]

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  afterChanges: true,
  onOpen: true,
  onReconnect: true,
  live: true,
  everyMinutes: 5,
}

export const SYNC_SETTINGS_KEY = 'offline-sync:sync-settings'

/** Stored JSON → settings; anything missing or of the wrong type takes its default (an older or tampered value). */
export function parseSyncSettings(raw: string | null): SyncSettings {
  let stored: Record<string, unknown> = {}
  try {
    const parsed: unknown = raw === null ? {} : JSON.parse(raw)
    if (typeof parsed === 'object' && parsed !== null) stored = parsed as Record<string, unknown>
  } catch {
    // Unreadable: the defaults.
  }
  const flag = (key: 'afterChanges' | 'onOpen' | 'onReconnect' | 'live') =>
    typeof stored[key] === 'boolean' ? stored[key] : DEFAULT_SYNC_SETTINGS[key]
  const every = stored.everyMinutes
  return {
    afterChanges: flag('afterChanges'),
    onOpen: flag('onOpen'),
    onReconnect: flag('onReconnect'),
    live: flag('live'),
    everyMinutes: PERIODIC_CHOICES.includes(every as PeriodicChoice)
      ? (every as PeriodicChoice)
      : DEFAULT_SYNC_SETTINGS.everyMinutes,
  }
}

interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function browserStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    // Storage disabled (privacy mode): settings live for this page only.
    return null
  }
}

export function createSyncSettingsStore(storage: StorageLike | null = browserStorage()) {
  const listeners = new Set<() => void>()
  let current = parseSyncSettings(storage?.getItem(SYNC_SETTINGS_KEY) ?? null)
  const notify = () => listeners.forEach((listener) => listener())
  return {
    get: (): SyncSettings => current,
    /** Changes some settings, stores them and tells every listener. */
    update(change: Partial<SyncSettings>): void {
      current = parseSyncSettings(JSON.stringify({ ...current, ...change }))
      try {
        storage?.setItem(SYNC_SETTINGS_KEY, JSON.stringify(current))
      } catch {
        // Full or disabled storage: the choice still holds for this page.
      }
      notify()
    },
    /** Another tab stored new settings. */
    reload(): void {
      current = parseSyncSettings(storage?.getItem(SYNC_SETTINGS_KEY) ?? null)
      notify()
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

export type SyncSettingsStore = ReturnType<typeof createSyncSettingsStore>

/** The app's one store. */
export const syncSettings = createSyncSettingsStore()

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === SYNC_SETTINGS_KEY || event.key === null) syncSettings.reload()
  })
}

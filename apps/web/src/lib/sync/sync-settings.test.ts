import { describe, expect, it } from 'vitest'
import {
  createSyncSettingsStore,
  DEFAULT_SYNC_SETTINGS,
  parseSyncSettings,
  SYNC_SETTINGS_KEY,
} from './sync-settings.ts'

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    items,
  }
}

describe('sync settings', () => {
  it('default to every automatic sync on, every 5 minutes', () => {
    expect(parseSyncSettings(null)).toEqual({
      afterChanges: true,
      onOpen: true,
      onReconnect: true,
      live: true,
      everyMinutes: 5,
    })
  })

  it('a stored value of the wrong shape falls back to the default, field by field', () => {
    expect(parseSyncSettings('not json')).toEqual(DEFAULT_SYNC_SETTINGS)
    expect(parseSyncSettings('{"live":"no","everyMinutes":7,"afterChanges":false}')).toEqual({
      ...DEFAULT_SYNC_SETTINGS,
      afterChanges: false,
    })
    expect(parseSyncSettings('{"everyMinutes":0}').everyMinutes).toBe(0)
  })

  it('an update is stored, read back by a new store (next page load) and told to listeners at once', () => {
    const storage = memoryStorage()
    const store = createSyncSettingsStore(storage)
    const seen: boolean[] = []
    store.subscribe(() => seen.push(store.get().afterChanges))
    store.update({ afterChanges: false, everyMinutes: 15 })
    expect(seen).toEqual([false])
    expect(JSON.parse(storage.items.get(SYNC_SETTINGS_KEY) ?? '{}')).toMatchObject({ afterChanges: false })
    expect(createSyncSettingsStore(storage).get()).toMatchObject({ afterChanges: false, everyMinutes: 15 })
  })

  it('works without storage (disabled in privacy mode): the choice holds for the page', () => {
    const store = createSyncSettingsStore(null)
    store.update({ live: false })
    expect(store.get().live).toBe(false)
  })
})

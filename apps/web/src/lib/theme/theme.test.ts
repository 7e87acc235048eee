// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { applyTheme, readTheme, storeTheme, THEME_KEY } from './theme.ts'

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial))
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
    data,
  }
}

describe('theme choice', () => {
  it('reads light or dark as stored, anything else as the system’s', () => {
    expect(readTheme(memoryStorage({ [THEME_KEY]: 'dark' }))).toBe('dark')
    expect(readTheme(memoryStorage({ [THEME_KEY]: 'light' }))).toBe('light')
    expect(readTheme(memoryStorage({ [THEME_KEY]: 'purple' }))).toBe('system')
    expect(readTheme(memoryStorage())).toBe('system')
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError')
      },
    }
    expect(readTheme(blocked)).toBe('system')
  })

  it('stores a choice, forgets it for "system", and sets data-theme on the root', () => {
    const storage = memoryStorage()
    storeTheme('dark', storage)
    expect(storage.data.get(THEME_KEY)).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    storeTheme('system', storage)
    expect(storage.data.has(THEME_KEY)).toBe(false)
    expect(document.documentElement.dataset.theme).toBeUndefined()
    const root = document.createElement('html')
    applyTheme('light', root)
    expect(root.getAttribute('data-theme')).toBe('light')
  })
})

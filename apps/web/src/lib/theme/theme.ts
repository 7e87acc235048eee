/**
 * Light, dark, or as the system says. The choice is kept per device (localStorage: it is a setting of this screen,
 * not data that syncs) and applied as `data-theme` on <html>; with no explicit choice the stylesheet follows
 * `prefers-color-scheme` through `color-scheme: light dark` and `light-dark()` (app.css).
 */
export type ThemeChoice = 'light' | 'dark' | 'system'

export const THEME_KEY = 'offline-sync:theme'

export function readTheme(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  try {
    const value = storage.getItem(THEME_KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system' // storage blocked (privacy mode): the system's choice is the safe default
  }
}

export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
}

export function storeTheme(
  choice: ThemeChoice,
  storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage,
): void {
  try {
    if (choice === 'system') storage.removeItem(THEME_KEY)
    else storage.setItem(THEME_KEY, choice)
  } catch {
    // Not stored (storage blocked): the choice still applies to this page.
  }
  applyTheme(choice)
}

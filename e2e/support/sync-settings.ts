import type { BrowserContext } from '@playwright/test'

/** The app's per-device automatic-sync settings (apps/web/src/lib/sync/sync-settings.ts). */
const SYNC_SETTINGS_KEY = 'offline-sync:sync-settings'

/**
 * Makes every page of `context` start with the automatic syncs that the person cannot time turned off: after my
 * changes, live updates and the periodic sync (startup and back-online stay, as before issue 13). For journeys
 * about the Sync button, the pre-sync review or a sync held in flight, which must decide when a sync runs. Set
 * before any page script runs, so the app reads it at start; a test may still change it on the Settings screen.
 */
export async function manualSyncOnly(context: BrowserContext): Promise<void> {
  await context.addInitScript(
    ([key, value]) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, value)
    },
    [SYNC_SETTINGS_KEY, JSON.stringify({ afterChanges: false, live: false, everyMinutes: 0 })] as const,
  )
}

/** The Background Sync tag under which the service worker sends the changes made offline (src/sw.ts). */
export const BACKGROUND_SYNC_TAG = 'offline-sync:send-changes'

interface SyncManagerLike {
  register(tag: string): Promise<void>
}

/**
 * Asks the browser to wake the service worker when the connection returns, so changes made offline are sent even
 * if the app is closed by then. Where the Background Sync API is missing (Safari, Firefox) nothing happens: the
 * app still sends them when it is open and back online. Resolves whether a sync was registered; never rejects.
 */
export async function registerBackgroundSync(): Promise<boolean> {
  try {
    if (!('serviceWorker' in navigator)) return false
    // getRegistration, not `ready`: `ready` never settles on a page no worker controls (development builds).
    const registration = await navigator.serviceWorker.getRegistration()
    const sync = (registration as { sync?: SyncManagerLike } | undefined)?.sync
    if (!sync) return false
    await sync.register(BACKGROUND_SYNC_TAG)
    return true
  } catch {
    // Permission denied or the worker is being replaced: the open app's own triggers still send the changes.
    return false
  }
}

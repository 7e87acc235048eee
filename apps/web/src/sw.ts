import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { clientsClaim } from 'workbox-core'
import { BACKGROUND_SYNC_TAG } from './lib/pwa/background-sync.ts'
import { sendChangesInBackground } from './lib/pwa/background-send.ts'

/**
 * The service worker (vite-plugin-pwa injectManifest). It does what the generated one did (precache the app
 * shell, answer every navigation with index.html except /api/, wait for the user's SKIP_WAITING) plus Background
 * Sync: the changes made offline are sent when the connection returns, even with the app closed. The engine is
 * imported statically: a service worker may not import() modules.
 */

/** The worker's global scope, as far as this file uses it (the project compiles against DOM, not WebWorker, types). */
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void
}
interface WorkerScope {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>
  skipWaiting(): Promise<void>
  clients: { matchAll(options: { type: 'window' }): Promise<{ visibilityState: DocumentVisibilityState }[]> }
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  addEventListener(type: 'sync', listener: (event: ExtendableEventLike & { tag: string }) => void): void
}
declare const self: WorkerScope

// The app shell: everything the build emits, so the app opens with no network at all.
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()
// API calls must always reach the server (or fail): a cached sync response would be a lie.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }))
clientsClaim()

// The new worker waits until the user accepts the prompt (src/lib/pwa/register-sw.ts posts SKIP_WAITING).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting()
})

self.addEventListener('sync', (event) => {
  if (event.tag !== BACKGROUND_SYNC_TAG) return
  // A rejection (offline again, server unreachable) makes the browser fire the event again later.
  event.waitUntil(sendUnlessAppOnScreen())
})

/**
 * Background Sync is for changes nobody is looking at. While the app is on screen it syncs on reconnecting itself
 * (trigger 'online'), with its progress, retries and history; a send from here would take the sync lock first and
 * turn the page's own sync, or the person's tap on Sync, into a silent 'busy'.
 */
async function sendUnlessAppOnScreen(): Promise<unknown> {
  const windows = await self.clients.matchAll({ type: 'window' })
  if (windows.some((client) => client.visibilityState === 'visible')) return null
  return sendChangesInBackground()
}

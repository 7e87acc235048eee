/** Why a sync starts. 'retry' is a backoff retry of a failed attempt. */
export type { SyncTrigger } from '@offline-sync/sync-client'

/** The automatic triggers; the Sync button is the third, manual one. */
export type AutomaticTrigger = 'startup' | 'online'

export interface TriggerEnvironment {
  addEventListener(type: 'online', listener: () => void): void
  removeEventListener(type: 'online', listener: () => void): void
  isOnline(): boolean
  /**
   * Runs `task` later, once the page is idle; returns the function that cancels it. Without it the startup sync
   * runs at once.
   */
  whenIdle?(task: () => void): () => void
}

/** The startup sync waits at most this long for an idle moment (a busy page still syncs soon after opening). */
const STARTUP_IDLE_TIMEOUT_MS = 2_000

function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: STARTUP_IDLE_TIMEOUT_MS })
    return () => window.cancelIdleCallback(handle)
  }
  const handle = window.setTimeout(task, 0)
  return () => window.clearTimeout(handle)
}

const browser = (): TriggerEnvironment => ({
  addEventListener: (type, listener) => window.addEventListener(type, listener),
  removeEventListener: (type, listener) => window.removeEventListener(type, listener),
  isOnline: () => navigator.onLine,
  whenIdle,
})

/**
 * Starts syncs by themselves: once at startup when online, and on every `online` event.
 * The startup sync waits for the first idle moment, so loading the sync engine and writing the pulled rows do not
 * compete with the first screen's paint. It fires once per page load even if the watcher is started twice (React
 * StrictMode mounts effects twice in development): stopping before it ran hands it to the next watcher.
 */
export function createSyncTriggers(env: () => TriggerEnvironment = browser) {
  let startupFired = false
  return {
    /** Begins watching; returns the function that stops it. */
    watch(run: (trigger: AutomaticTrigger) => void): () => void {
      const target = env()
      const onOnline = () => run('online')
      target.addEventListener('online', onOnline)
      let cancelStartup: (() => void) | null = null
      if (!startupFired && target.isOnline()) {
        startupFired = true
        const startup = () => {
          cancelStartup = null
          run('startup')
        }
        if (target.whenIdle) cancelStartup = target.whenIdle(startup)
        else startup()
      }
      return () => {
        target.removeEventListener('online', onOnline)
        if (cancelStartup) {
          cancelStartup()
          cancelStartup = null
          startupFired = false
        }
      }
    },
  }
}

/** The app's one set of triggers. */
export const syncTriggers = createSyncTriggers()

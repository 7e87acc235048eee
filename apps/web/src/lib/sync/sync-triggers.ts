/** Why a sync starts. 'retry' is a backoff retry of a failed attempt. */
export type { SyncTrigger } from '@offline-sync/client-engine'

/** The automatic triggers; the Sync button is the third, manual one. */
export type AutomaticTrigger = 'startup' | 'online'

export interface TriggerEnvironment {
  addEventListener(type: 'online', listener: () => void): void
  removeEventListener(type: 'online', listener: () => void): void
  isOnline(): boolean
}

const browser = (): TriggerEnvironment => ({
  addEventListener: (type, listener) => window.addEventListener(type, listener),
  removeEventListener: (type, listener) => window.removeEventListener(type, listener),
  isOnline: () => navigator.onLine,
})

/**
 * Starts syncs by themselves: once at startup when online, and on every `online` event.
 * The startup sync fires once per page load even if the watcher is started twice (React StrictMode mounts
 * effects twice in development).
 */
export function createSyncTriggers(env: () => TriggerEnvironment = browser) {
  let startupFired = false
  return {
    /** Begins watching; returns the function that stops it. */
    watch(run: (trigger: AutomaticTrigger) => void): () => void {
      const target = env()
      const onOnline = () => run('online')
      target.addEventListener('online', onOnline)
      if (!startupFired && target.isOnline()) {
        startupFired = true
        run('startup')
      }
      return () => target.removeEventListener('online', onOnline)
    },
  }
}

/** The app's one set of triggers. */
export const syncTriggers = createSyncTriggers()

import { useSyncExternalStore } from 'react'
import {
  applyUpdate,
  isUpdateAvailable,
  isUpdateRequired,
  subscribeToUpdates,
} from '../lib/pwa/register-sw.ts'

/** "A new version is available — Reload": the waiting service worker takes over only when the user says so. */
export function UpdatePrompt() {
  const available = useSyncExternalStore(subscribeToUpdates, isUpdateAvailable, () => false)
  const required = useSyncExternalStore(subscribeToUpdates, isUpdateRequired, () => false)
  if (!available && !required) return null
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <p>
        {required
          ? 'This version of the app can no longer sync. Your changes are kept on this device: update to send them.'
          : 'A new version is available.'}
      </p>
      <button
        type="button"
        className="button button--primary"
        onClick={applyUpdate}
        data-testid="update-reload"
      >
        Reload
      </button>
    </div>
  )
}

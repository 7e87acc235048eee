import { useSyncExternalStore } from 'react'
import { applyUpdate, isUpdateAvailable, subscribeToUpdates } from '../lib/pwa/register-sw.ts'

/** "A new version is available — Reload": the waiting service worker takes over only when the user says so. */
export function UpdatePrompt() {
  const available = useSyncExternalStore(subscribeToUpdates, isUpdateAvailable, () => false)
  if (!available) return null
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <p>A new version is available.</p>
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

import { useSyncExternalStore } from 'react'
import { onlineManager } from '@tanstack/react-query'

/**
 * Feeds react-query's onlineManager from the browser's online/offline events, starting from navigator.onLine
 * (react-query v5 otherwise assumes "online" until the first event).
 */
export function wireOnlineManager(): void {
  onlineManager.setEventListener((setOnline) => {
    const update = () => setOnline(navigator.onLine)
    update()
    window.addEventListener('online', update)
    window.addEventListener('offline', update)
    return () => {
      window.removeEventListener('online', update)
      window.removeEventListener('offline', update)
    }
  })
}

/** Whether the browser believes it is online; re-renders on change. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => onlineManager.subscribe(listener),
    () => onlineManager.isOnline(),
    () => true,
  )
}

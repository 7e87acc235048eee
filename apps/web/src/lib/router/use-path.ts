import { useSyncExternalStore } from 'react'
import { currentPath, subscribe } from './history.ts'

/** The current path (pathname + search); re-renders on every navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/')
}

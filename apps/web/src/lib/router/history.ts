/**
 * A tiny history-API router: the URL is the state. Every navigation (ours or the browser's back/forward)
 * notifies subscribers, which re-render through useSyncExternalStore.
 */

type Listener = () => void
const listeners = new Set<Listener>()

/** What we store in history.state: where the user came from, so "back to X" can pop instead of push. */
interface EntryState {
  prev: string
}

function notify(): void {
  for (const listener of listeners) listener()
}

/** Path plus query of the current URL, e.g. `/companies/abc?x=1`. A string, so snapshots compare cheaply. */
export function currentPath(): string {
  return window.location.pathname + window.location.search
}

/** Subscribes to URL changes; returns the unsubscribe function. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener)
  if (listeners.size === 1) window.addEventListener('popstate', notify)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) window.removeEventListener('popstate', notify)
  }
}

/** Goes to an in-app path. `replace` swaps the current entry (e.g. a form page once it is saved). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentPath()) return
  const state: EntryState = { prev: currentPath() }
  if (options.replace) {
    const prev = (window.history.state as Partial<EntryState> | null)?.prev
    window.history.replaceState(prev === undefined ? null : { prev }, '', to)
  } else {
    window.history.pushState(state, '', to)
  }
  notify()
}

/**
 * Leaves a page towards `to`: pops the history entry when the user came from there (so Back does not return to
 * a finished form), otherwise replaces the current entry.
 */
export function leaveTo(to: string): void {
  const prev = (window.history.state as Partial<EntryState> | null)?.prev
  if (prev === to) window.history.back()
  else navigate(to, { replace: true })
}

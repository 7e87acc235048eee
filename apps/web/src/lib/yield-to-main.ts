interface Scheduler {
  yield?: () => Promise<void>
}

/**
 * Resolves in a later task, so that the work after the `await` is not part of the same long task as the work
 * before it: the browser can paint and answer input in between. `scheduler.yield()` where the browser has it (its
 * continuation runs before other queued tasks), a zero timeout elsewhere.
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler
  if (typeof scheduler?.yield === 'function') return scheduler.yield()
  return new Promise((resolve) => setTimeout(resolve, 0))
}

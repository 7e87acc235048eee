/**
 * Recognises "the device is out of storage" however it reaches us: the DOMException itself, or Dexie's wrapper
 * (its `inner`), or an abort whose `cause` is the quota error. IndexedDB aborts the whole transaction on it, so
 * nothing of the failed write or sync is kept and the earlier data stays as it was.
 */
export function isQuotaError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false
  const { name, message, inner, cause } = err as {
    name?: unknown
    message?: unknown
    inner?: unknown
    cause?: unknown
  }
  if (name === 'QuotaExceededError') return true
  if (typeof message === 'string' && /quota/i.test(message)) return true
  return isQuotaError(inner, depth + 1) || isQuotaError(cause, depth + 1)
}

export const QUOTA_MESSAGE =
  'This phone has no storage space left for the app, so this was not saved. Your earlier data is unchanged. ' +
  'Free some space (or sync, then remove old data), and try again.'

/** The sentence a form shows when a local write fails: out of space in plain words, else the error's own. */
export function describeWriteError(err: unknown): string {
  if (isQuotaError(err)) return QUOTA_MESSAGE
  return err instanceof Error ? err.message : String(err)
}

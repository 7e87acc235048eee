/**
 * What sync responses really cost on the network. The transport only sees the decompressed JSON; the browser's
 * Resource Timing knows the body's size as it arrived (`encodedBodySize`, after the server's gzip). Entries are
 * taken from a PerformanceObserver rather than the performance buffer, which stops at 250 entries and would go
 * quiet after a long day of syncs.
 */
export interface WireSizes {
  /** The body size of the newest response for `path` whose request started at or after `since` (a
   *  `performance.now()` reading); undefined when the browser reported none. */
  receivedSince(since: number): number | undefined
}

/** Kept per path: only the newest few, since a sync looks its own up as soon as it finishes. */
const KEEP = 8

export function observeWireSizes(path: string): WireSizes {
  const seen: PerformanceResourceTiming[] = []
  const keep = (entries: PerformanceEntryList) => {
    for (const entry of entries) {
      if (entry.entryType === 'resource' && new URL(entry.name).pathname === path)
        seen.push(entry as PerformanceResourceTiming)
    }
    seen.splice(0, Math.max(0, seen.length - KEEP))
  }
  const supported =
    typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes.includes('resource')
  const observer = supported ? new PerformanceObserver((list) => keep(list.getEntries())) : null
  observer?.observe({ type: 'resource' })
  return {
    receivedSince(since) {
      // Entries the observer has queued but not delivered yet: its callback runs in a later task.
      if (observer) keep(observer.takeRecords())
      const entry = seen.findLast((e) => e.startTime >= since)
      // 0 is what the browser reports when it may not tell (another origin without Timing-Allow-Origin).
      return entry && entry.encodedBodySize > 0 ? entry.encodedBodySize : undefined
    },
  }
}

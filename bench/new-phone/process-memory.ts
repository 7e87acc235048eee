/**
 * Samples `read()` every `everyMs` from now on; `stop()` returns the highest sample minus the first one (the level
 * before whatever is being measured started).
 */
export function peakGrowth(read: () => number, everyMs = 25): { stop(): number } {
  const baseline = read()
  let peak = baseline
  const timer = setInterval(() => {
    peak = Math.max(peak, read())
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, read())
      return peak - baseline
    },
  }
}

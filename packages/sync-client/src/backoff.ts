const BASE_MS = 1_000
const CAP_MS = 60_000

/**
 * Delay before retry number `attempt` (1 = the first retry after a failure): "full jitter", a uniform random
 * delay between 0 and min(60 s, 1 s × 2^(attempt − 1)), so devices that failed together do not come back
 * together. A server's Retry-After is a floor: the delay is never shorter than it.
 */
export function retryDelayMs(
  attempt: number,
  opts: { retryAfterMs?: number; random?: () => number } = {},
): number {
  const random = opts.random ?? Math.random
  const exponent = Math.max(0, Math.min(30, Math.floor(attempt) - 1))
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** exponent)
  const jittered = Math.floor(random() * ceiling)
  return Math.max(jittered, Math.max(0, opts.retryAfterMs ?? 0))
}

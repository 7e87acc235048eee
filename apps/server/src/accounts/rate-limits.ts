import type { RateLimit } from './rate-limiter.ts'

export interface RateLimits {
  /** Sign-in (and setup) attempts per (email, IP). */
  signIn: RateLimit
  /** Sign-in (and setup) attempts per IP, whatever the email. */
  signInIp: RateLimit
  /** Syncs per session. */
  sync: RateLimit
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signIn: { limit: 10, windowSeconds: 15 * 60 },
  signInIp: { limit: 100, windowSeconds: 15 * 60 },
  sync: { limit: 120, windowSeconds: 60 },
}

import type { RateLimit } from './rate-limiter.ts'

export interface RateLimits {
  /** Sign-in (and setup) attempts per (email, IP). */
  signIn: RateLimit
  /** Sign-in (and setup) attempts per IP, whatever the email. */
  signInIp: RateLimit
  /** Sign-in attempts per device token, right or wrong (rule A14); beyond it the token opens no lane. */
  signInDevice: RateLimit
  /** Syncs per session. */
  sync: RateLimit
  /** Syncs per account, whatever the session: six sessions do not get six allowances. */
  syncAccount: RateLimit
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signIn: { limit: 10, windowSeconds: 15 * 60 },
  signInIp: { limit: 100, windowSeconds: 15 * 60 },
  // A person who mistypes a few times keeps the lane; a thief with the cookie gets five guesses, then no lane.
  signInDevice: { limit: 5, windowSeconds: 15 * 60 },
  sync: { limit: 120, windowSeconds: 60 },
  // Two busy devices' worth: a person with a phone and a laptop never meets it.
  syncAccount: { limit: 240, windowSeconds: 60 },
}

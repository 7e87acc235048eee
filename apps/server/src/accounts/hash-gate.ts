import { HttpError } from '../http/http-error.ts'

export interface LaneLimits {
  /** Password hashes (128 MiB of scrypt each) computed at once. */
  concurrent: number
  /** Sign-ins that may wait for a free slot; one more is answered 503 at once. */
  queue: number
}

/** The anonymous gate's limits, and the device lane's (default DEVICE_LANE). */
export interface HashingLimits extends LaneLimits {
  /** The lane reserved for sign-ins with a valid device token (rule A13). */
  device?: LaneLimits
}

/**
 * One hash and two waiting: a returning person, a second tab or a retry. Returning sign-ins are a few a day per
 * person, so one slot is plenty; it must not be more, as an insider with a token of their own can fill it (decision 024).
 */
export const DEVICE_LANE: LaneLimits = { concurrent: 1, queue: 2 }

/** Seconds a refused sign-in is told to wait: a queue this short drains in about that long. */
export const BUSY_RETRY_AFTER_SECONDS = 1

export const busy = () =>
  new HttpError(
    503,
    'unavailable',
    `The server is busy checking other sign-ins; try again in ${BUSY_RETRY_AFTER_SECONDS} second`,
    { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
    { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) },
  )

/**
 * Admission for password hashing. A long queue would make every sign-in wait behind a guessing flood (100 queued
 * hashes were 30–50 s); a short one answers the surplus 503 + Retry-After at once, so a person's sign-in waits at
 * most for `queue` hashes. First come, first served.
 */
export function createHashGate(limits: LaneLimits) {
  let running = 0
  const waiting: (() => void)[] = []

  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  return {
    /** True when a sign-in arriving now would be refused: checked before the rate-limit queries. */
    full(): boolean {
      return running >= limits.concurrent && waiting.length >= limits.queue
    },

    /** Runs `work` in a slot, waiting in the queue if need be; throws 503 `unavailable` when the queue is full. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < limits.concurrent) running++
      else if (waiting.length < limits.queue) await new Promise<void>((resolve) => waiting.push(resolve))
      else throw busy()
      // A released slot passes straight to the next waiter (running stays counted), so nobody can jump the queue.
      try {
        return await work()
      } finally {
        release()
      }
    },
  }
}

export type HashGate = ReturnType<typeof createHashGate>

/** The two ways to a hash: anonymous sign-ins (and setup), and those with a valid device token. */
export interface SignInLanes {
  anonymous: HashGate
  device: HashGate
}

/**
 * The device lane is a gate of its own, so no number of anonymous guesses can fill it: the flood cannot tell which
 * sign-ins hold a token, and cannot mint a valid one without a password.
 */
export function createSignInLanes(limits: HashingLimits): SignInLanes {
  return { anonymous: createHashGate(limits), device: createHashGate(limits.device ?? DEVICE_LANE) }
}

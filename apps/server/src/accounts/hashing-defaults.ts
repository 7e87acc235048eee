import { availableParallelism } from 'node:os'
import type { HashingLimits } from './hash-gate.ts'

/**
 * One hash per core (at most 4, the size of libuv's thread pool, which the database driver's DNS look-ups share),
 * and a queue of two rounds: a sign-in waits for at most about three hashes.
 */
export const DEFAULT_HASHING: HashingLimits = (() => {
  const concurrent = Math.min(4, Math.max(1, availableParallelism()))
  return { concurrent, queue: 2 * concurrent }
})()

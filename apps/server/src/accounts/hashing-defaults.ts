import { availableParallelism } from 'node:os'
import { DEVICE_LANE, type HashingLimits } from './hash-gate.ts'

/**
 * One hash per core for anonymous sign-ins, at most 3, so that with the device lane's one (rule A13) no more than 4
 * run at once: libuv's thread pool has 4 threads, which the database driver's DNS look-ups share, and a fifth scrypt
 * would wait there behind the flood's. A queue of two rounds: a sign-in waits for at most about three hashes.
 */
export const DEFAULT_HASHING: HashingLimits = (() => {
  const concurrent = Math.min(3, Math.max(1, availableParallelism()))
  return { concurrent, queue: 2 * concurrent, device: DEVICE_LANE }
})()

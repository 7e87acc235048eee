import type { NodeDevice } from '../apps/server/test/faults/support/node-device.ts'
import { openLiveStream, type LiveStream } from './live-stream.ts'

/**
 * A Node device that syncs when told: on a `changed` cursor newer than what it has stored it runs a delta sync,
 * at most one running and one queued (the live-updates contract's client rule). Records when each cursor was
 * stored, so the benchmark can time save → stored.
 */
export function createListeningDevice(device: NodeDevice, baseURL: string, cookie: string) {
  let stored = 0n
  let seen = 0n
  let running: Promise<void> | undefined
  let queued = false
  let syncs = 0
  const waiters: { cursor: bigint; done: (at: number) => void }[] = []
  let stream: LiveStream | undefined

  const run = () => {
    const target = seen
    syncs++
    const failed = { outcome: 'failed' as const }
    running = device
      .sync()
      .catch(() => failed)
      .then((report) => {
        if (report.outcome === 'synced') {
          stored = target > stored ? target : stored
          const now = performance.now()
          for (const waiter of waiters.splice(0)) {
            if (waiter.cursor <= stored) waiter.done(now)
            else waiters.push(waiter)
          }
        }
        running = undefined
        if (report.outcome !== 'synced' && seen > stored) {
          // A failed delta sync (busy server): try again shortly, as the app's retry would.
          setTimeout(() => {
            if (!running && seen > stored) run()
          }, 100)
          return
        }
        if (queued) {
          queued = false
          if (seen > stored) run()
        }
      })
  }

  const onChanged = (cursor: string) => {
    const c = BigInt(cursor)
    if (c > seen) seen = c
    if (c <= stored) return
    if (running) queued = true
    else run()
  }

  return {
    device,
    /** Opens the stream; resolves once `ready` arrived. */
    async listen(deviceId: string) {
      stream = openLiveStream(`${baseURL}/api/sync/events?deviceId=${deviceId}`, cookie, onChanged)
      const cursor = BigInt(await stream.ready)
      if (cursor > stored) stored = cursor
    },
    /** Resolves with the time (performance.now()) at which a sync that stored `cursor` finished. */
    storedAt(cursor: string): Promise<number> {
      const c = BigInt(cursor)
      if (c <= stored) return Promise.resolve(performance.now())
      return new Promise((done) => waiters.push({ cursor: c, done }))
    },
    syncs: () => syncs,
    resetSyncs: () => (syncs = 0),
    close: () => stream?.close(),
  }
}

export type ListeningDevice = ReturnType<typeof createListeningDevice>

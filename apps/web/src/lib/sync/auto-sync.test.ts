// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventSourceLike } from '@offline-sync/sync-client'
import { startAutoSync, type RequestedTrigger } from './auto-sync.ts'
import { announceLocalWrite } from './local-write-signal.ts'
import { createSyncSettingsStore } from './sync-settings.ts'

/** A scripted EventSource, the server's side played by the test. */
class FakeSource implements EventSourceLike {
  closed = false
  private listeners = new Map<string, Array<(event: { data?: unknown }) => void>>()
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  close() {
    this.closed = true
  }
  emit(type: string, data?: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data })
  }
}

let visibility: DocumentVisibilityState = 'visible'
let online = true

function setVisibility(next: DocumentVisibilityState) {
  visibility = next
  document.dispatchEvent(new Event('visibilitychange'))
}

function setOnline(next: boolean) {
  online = next
  window.dispatchEvent(new Event(next ? 'online' : 'offline'))
}

async function harness(
  stored = { deviceId: '5b3c1a52-0d7e-4b8e-9a57-2f5d6a1c0e11', cursor: '10' as string | null },
) {
  const runs: RequestedTrigger[] = []
  const sources: FakeSource[] = []
  const settings = createSyncSettingsStore(null)
  let fail = false
  const auto = startAutoSync({
    run: async (trigger) => {
      runs.push(trigger)
      if (fail) throw new Error('sync failed')
    },
    deviceState: async () => stored,
    settings,
    openEventSource: (url) => {
      const source = new FakeSource(url)
      sources.push(source)
      return source
    },
  })
  // Device state read, startup idle task run, first syncs settled.
  await vi.advanceTimersByTimeAsync(0)
  const open = () => sources.filter((s) => !s.closed)
  return {
    auto,
    runs,
    sources,
    settings,
    open,
    stored,
    failNext: (value: boolean) => (fail = value),
    setVisibility,
  }
}

beforeEach(() => {
  vi.useFakeTimers()
  visibility = 'visible'
  online = true
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('automatic sync in the page', () => {
  it('opens one stream for the device while visible and online; ready past the stored cursor: a delta sync', async () => {
    const h = await harness()
    try {
      expect(h.open()).toHaveLength(1)
      expect(h.open()[0]!.url).toBe('/api/sync/events?deviceId=5b3c1a52-0d7e-4b8e-9a57-2f5d6a1c0e11')
      const before = h.runs.length
      h.open()[0]!.emit('ready', '{"cursor":"10"}')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.runs.length, 'ready at the cursor the device holds: nothing to catch up').toBe(before)
      h.setVisibility('hidden')
      h.setVisibility('visible')
      await vi.advanceTimersByTimeAsync(0)
      const reopened = h.runs.length
      h.open()[0]!.emit('ready', '{"cursor":"11"}')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.runs.slice(reopened)).toEqual(['live'])
    } finally {
      h.auto.stop()
    }
  })

  it('a changed notice newer than the stored cursor syncs; one the device already has does not', async () => {
    const h = await harness()
    try {
      const source = h.open()[0]!
      source.emit('ready', '{"cursor":"10"}')
      await vi.advanceTimersByTimeAsync(0)
      const before = h.runs.length
      source.emit('changed', '{"cursor":"10"}')
      source.emit('changed', '{"cursor":"9"}')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.runs.length).toBe(before)
      source.emit('changed', '{"cursor":"11"}')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.runs.slice(before)).toEqual(['live'])
    } finally {
      h.auto.stop()
    }
  })

  it('hidden: the stream closes and no periodic sync runs; visible again: it reopens and a resume sync runs', async () => {
    const h = await harness()
    try {
      setVisibility('hidden')
      expect(h.open()).toHaveLength(0)
      const before = h.runs.length
      await vi.advanceTimersByTimeAsync(60 * 60_000)
      expect(h.runs.length).toBe(before)
      setVisibility('visible')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.open()).toHaveLength(1)
      expect(h.runs.slice(before)).toEqual(['resume'])
    } finally {
      h.auto.stop()
    }
  })

  it('local writes while online: one debounced sync; offline: none, and the stream closes', async () => {
    const h = await harness()
    try {
      const before = h.runs.length
      announceLocalWrite()
      announceLocalWrite()
      await vi.advanceTimersByTimeAsync(1_500)
      expect(h.runs.slice(before)).toEqual(['local-change'])
      setOnline(false)
      expect(h.open()).toHaveLength(0)
      announceLocalWrite()
      await vi.advanceTimersByTimeAsync(10_000)
      expect(h.runs.slice(before)).toEqual(['local-change'])
    } finally {
      h.auto.stop()
    }
  })

  it('settings apply at once: after-changes off schedules nothing, live off closes the stream, periodic every minute', async () => {
    const h = await harness()
    try {
      h.settings.update({ afterChanges: false, live: false, everyMinutes: 1 })
      expect(h.open()).toHaveLength(0)
      const before = h.runs.length
      announceLocalWrite()
      await vi.advanceTimersByTimeAsync(59_999)
      expect(h.runs.length).toBe(before)
      await vi.advanceTimersByTimeAsync(1)
      expect(h.runs.slice(before)).toEqual(['periodic'])
      h.settings.update({ everyMinutes: 0 })
      await vi.advanceTimersByTimeAsync(60 * 60_000)
      expect(h.runs.slice(before)).toEqual(['periodic'])
    } finally {
      h.auto.stop()
    }
  })

  it('after the server ends the stream it stays closed, even on resume, until a sync succeeds again', async () => {
    const h = await harness()
    try {
      h.open()[0]!.emit('end', '{"reason":"signed_out"}')
      expect(h.open()).toHaveLength(0)
      h.failNext(true)
      setVisibility('hidden')
      setVisibility('visible')
      await vi.advanceTimersByTimeAsync(120_000)
      expect(h.open()).toHaveLength(0)
      h.failNext(false)
      h.auto.request('manual')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.open()).toHaveLength(1)
    } finally {
      h.auto.stop()
    }
  })
})

describe('a cold load syncs once', () => {
  // The startup sync waits for an idle moment: the test decides when that comes, before or after the stream.
  let idle: Array<() => void> = []
  beforeEach(() => {
    idle = []
    vi.resetModules()
    window.requestIdleCallback = (task) => idle.push(() => task({} as IdleDeadline))
    window.cancelIdleCallback = () => {}
  })
  afterEach(() => {
    Reflect.deleteProperty(window, 'requestIdleCallback')
    Reflect.deleteProperty(window, 'cancelIdleCallback')
  })

  /**
   * A fresh page (the startup sync not yet fired) on a device at cursor 10 whose syncs wait for `finish(cursor)`:
   * the cursor the sync brought the device to.
   */
  async function coldLoad() {
    const { startAutoSync: start } = await import('./auto-sync.ts')
    const stored = { deviceId: '5b3c1a52-0d7e-4b8e-9a57-2f5d6a1c0e11', cursor: '10' as string | null }
    const runs: RequestedTrigger[] = []
    let finish: (cursor: string) => void = () => {}
    let fail: () => void = () => {}
    const sources: FakeSource[] = []
    const auto = start({
      run: (trigger) => {
        runs.push(trigger)
        return new Promise<void>((resolve, reject) => {
          finish = (cursor) => {
            stored.cursor = cursor
            resolve()
          }
          fail = () => reject(new Error('offline'))
        })
      },
      deviceState: async () => stored,
      settings: createSyncSettingsStore(null),
      openEventSource: (url) => {
        const source = new FakeSource(url)
        sources.push(source)
        return source
      },
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(sources).toHaveLength(1)
    const settle = async (cursor: string) => {
      finish(cursor)
      await vi.advanceTimersByTimeAsync(0)
    }
    const startup = async () => {
      idle.splice(0).forEach((task) => task())
      await vi.advanceTimersByTimeAsync(0)
    }
    const ready = async (cursor: string) => {
      sources[0]!.emit('ready', JSON.stringify({ cursor }))
      await vi.advanceTimersByTimeAsync(0)
    }
    const failRun = async () => {
      fail()
      await vi.advanceTimersByTimeAsync(0)
    }
    return { auto, runs, startup, ready, settle, failRun }
  }

  it('the startup sync first: the stream ready during it at a cursor it reached asks for no second sync', async () => {
    const page = await coldLoad()
    try {
      await page.startup()
      await page.ready('12')
      await page.settle('12')
      await vi.advanceTimersByTimeAsync(60_000)
      expect(page.runs).toEqual(['startup'])
    } finally {
      page.auto.stop()
    }
  })

  it('the stream ready first: its catch-up is the startup sync', async () => {
    const page = await coldLoad()
    try {
      await page.ready('12')
      expect(page.runs).toEqual(['live'])
      await page.startup()
      await page.settle('12')
      await page.startup()
      await vi.advanceTimersByTimeAsync(60_000)
      expect(page.runs).toEqual(['live'])
    } finally {
      page.auto.stop()
    }
  })

  it('the stream ready at a cursor the startup sync did not reach: one catch-up follows it', async () => {
    const page = await coldLoad()
    try {
      await page.startup()
      await page.ready('12')
      expect(page.runs).toEqual(['startup'])
      await page.settle('11')
      expect(page.runs).toEqual(['startup', 'live'])
      await page.settle('12')
      await vi.advanceTimersByTimeAsync(60_000)
      expect(page.runs).toEqual(['startup', 'live'])
    } finally {
      page.auto.stop()
    }
  })

  it('the stream ready at the cursor the device holds: no catch-up, and the startup sync still runs', async () => {
    const page = await coldLoad()
    try {
      await page.ready('10')
      expect(page.runs, 'the device holds cursor 10 already').toEqual([])
      await page.startup()
      expect(page.runs).toEqual(['startup'])
      await page.settle('10')
    } finally {
      page.auto.stop()
    }
  })

  it('a sync that fails while the stream became ready: one catch-up follows it, and its failure no more', async () => {
    const page = await coldLoad()
    try {
      await page.startup()
      await page.ready('12')
      await page.failRun()
      expect(page.runs).toEqual(['startup', 'live'])
      await page.failRun()
      await vi.advanceTimersByTimeAsync(60_000)
      expect(page.runs).toEqual(['startup', 'live'])
    } finally {
      page.auto.stop()
    }
  })
})

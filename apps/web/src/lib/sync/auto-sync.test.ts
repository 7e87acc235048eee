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
  it('opens one stream for the device while visible and online; after it is ready, a delta sync', async () => {
    const h = await harness()
    try {
      expect(h.open()).toHaveLength(1)
      expect(h.open()[0]!.url).toBe('/api/sync/events?deviceId=5b3c1a52-0d7e-4b8e-9a57-2f5d6a1c0e11')
      const before = h.runs.length
      h.open()[0]!.emit('ready', '{"cursor":"10"}')
      await vi.advanceTimersByTimeAsync(0)
      expect(h.runs.slice(before)).toEqual(['live'])
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

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createEventStreamClient,
  isNewerCursor,
  parseCursorEvent,
  type EventSourceLike,
  type EventStreamClientOptions,
} from '../src/event-stream-client.ts'

/** A scripted EventSource: the test plays the server's events on it. */
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

function harness(overrides: Partial<EventStreamClientOptions> = {}) {
  const sources: FakeSource[] = []
  const events: string[] = []
  const client = createEventStreamClient({
    url: () => '/api/sync/events?deviceId=d1',
    open: (url) => {
      const source = new FakeSource(url)
      sources.push(source)
      return source
    },
    onReady: (cursor) => events.push(`ready ${cursor}`),
    onChanged: (cursor) => events.push(`changed ${cursor}`),
    onEnd: (reason) => events.push(`end ${reason}`),
    // The top of each backoff window, so the test knows the delays exactly.
    random: () => 0.999_999,
    ...overrides,
  })
  const latest = () => {
    const source = sources.at(-1)
    if (!source) throw new Error('no stream opened')
    return source
  }
  return { client, sources, events, latest }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('event stream client', () => {
  it('opens once, reports ready and changed cursors, ignores data that is not a cursor', () => {
    const { client, sources, events, latest } = harness()
    client.start()
    client.start()
    expect(sources).toHaveLength(1)
    expect(latest().url).toBe('/api/sync/events?deviceId=d1')
    expect(client.state()).toBe('connecting')
    latest().emit('ready', '{"cursor":"41"}')
    expect(client.state()).toBe('open')
    latest().emit('changed', '{"cursor":"42"}')
    latest().emit('changed', '{"cursor":"DROP TABLE"}')
    latest().emit('changed', 'not json')
    latest().emit('changed', '{"cursor":"43","company":{"name":"leak"}}')
    expect(events).toEqual(['ready 41', 'changed 42', 'changed 43'])
  })

  it('reconnects after errors with exponential backoff and full jitter (1 s base, 60 s cap), reset by a ready stream', async () => {
    const { client, sources, events, latest } = harness()
    client.start()
    const expected = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
    for (const delay of expected) {
      const before = sources.length
      latest().emit('error')
      expect(latest().closed).toBe(true)
      expect(client.state()).toBe('waiting')
      await vi.advanceTimersByTimeAsync(delay - 2)
      expect(sources).toHaveLength(before)
      await vi.advanceTimersByTimeAsync(2)
      expect(sources).toHaveLength(before + 1)
    }
    latest().emit('ready', '{"cursor":"7"}')
    expect(events).toEqual(['ready 7'])
    latest().emit('error')
    await vi.advanceTimersByTimeAsync(999)
    expect(client.state()).toBe('connecting')
  })

  it('the jitter is uniform below the ceiling: with random 0 it reconnects at once', async () => {
    const { client, sources, latest } = harness({ random: () => 0 })
    client.start()
    latest().emit('error')
    latest().emit('error')
    await vi.advanceTimersByTimeAsync(0)
    expect(sources).toHaveLength(2)
  })

  it('a stream that cannot even be constructed is retried like a broken one', async () => {
    let calls = 0
    const { client } = harness({
      open: () => {
        calls++
        throw new Error('EventSource is not defined')
      },
    })
    client.start()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(calls).toBe(2)
    client.stop()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(calls).toBe(2)
  })

  it('stop closes the stream and cancels a pending reconnect (page hidden); start reopens at once (resume)', async () => {
    const { client, sources, latest } = harness()
    client.start()
    latest().emit('ready', '{"cursor":"1"}')
    client.stop()
    expect(latest().closed).toBe(true)
    expect(client.state()).toBe('stopped')
    client.start()
    expect(sources).toHaveLength(2)
    latest().emit('error')
    client.stop()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(sources).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('events of a closed stream are ignored', () => {
    const { client, sources, events } = harness()
    client.start()
    const first = sources[0]!
    client.stop()
    first.emit('changed', '{"cursor":"5"}')
    first.emit('error')
    expect(events).toEqual([])
    expect(client.state()).toBe('stopped')
  })

  it('end: closed, no reconnect, start ignored until allowAfterEnd (signed in again)', async () => {
    const { client, sources, events, latest } = harness()
    client.start()
    latest().emit('ready', '{"cursor":"3"}')
    latest().emit('end', '{"reason":"session_expired"}')
    expect(latest().closed).toBe(true)
    expect(client.state()).toBe('ended')
    expect(events).toEqual(['ready 3', 'end session_expired'])
    client.start()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(sources).toHaveLength(1)
    client.allowAfterEnd()
    client.start()
    expect(sources).toHaveLength(2)
    latest().emit('end', '{"reason":"signed_out"}')
    expect(events.at(-1)).toBe('end signed_out')
  })
})

describe('cursors', () => {
  it('compares as numbers, not strings; null (never synced) is older than any', () => {
    expect(isNewerCursor('10', '9')).toBe(true)
    expect(isNewerCursor('9', '10')).toBe(false)
    expect(isNewerCursor('10', '10')).toBe(false)
    expect(isNewerCursor('1', null)).toBe(true)
    expect(isNewerCursor('9223372036854775807', '9223372036854775806')).toBe(true)
  })

  it('parseCursorEvent accepts only the contract`s shape', () => {
    expect(parseCursorEvent('{"cursor":"12"}')).toBe('12')
    expect(parseCursorEvent('{"cursor":12}')).toBeNull()
    expect(parseCursorEvent('null')).toBeNull()
    expect(parseCursorEvent(undefined)).toBeNull()
    expect(parseCursorEvent('{"cursor":"12345678901234567890"}')).toBeNull()
  })
})

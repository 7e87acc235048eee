import { retryDelayMs } from './backoff.ts'
import type { SchedulerClock } from './sync-scheduler.ts'

/**
 * The part of the browser's EventSource the client uses. `addEventListener('error')` must fire when the stream
 * fails to open or breaks; the client then closes it and reconnects on its own schedule (backoff), not the
 * browser's fixed `retry:` delay.
 */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void
  close(): void
}

/** Opens a stream (in the browser: `(url) => new EventSource(url, { withCredentials: true })`). May throw. */
export type OpenEventSource = (url: string) => EventSourceLike

/** Why the server ended the stream; the client does not reconnect after it until told the person signed in. */
export type StreamEndReason = 'signed_out' | 'session_expired'

export type EventStreamState = 'stopped' | 'connecting' | 'open' | 'waiting' | 'ended'

export interface EventStreamClientOptions {
  /** The stream's URL, read at each (re)connect (it carries the device id). */
  url: () => string
  open: OpenEventSource
  /** The stream is (re)open: the app runs a delta sync, since notices may have been missed while it was closed. */
  onReady: (cursor: string) => void
  /** Someone else changed data; `cursor` is the server's newest. */
  onChanged: (cursor: string) => void
  /** The server ended the stream (sign-out, session expiry). */
  onEnd?: (reason: StreamEndReason) => void
  onStateChange?: (state: EventStreamState) => void
  clock?: SchedulerClock
  /** For the backoff's jitter. */
  random?: () => number
}

export interface EventStreamClient {
  /** Opens the stream unless it is open, opening, or ended by the server. */
  start(): void
  /** Closes the stream and cancels a pending reconnect (page hidden, offline, setting off). */
  stop(): void
  /** After a new sign-in: the stream may open again (`start()`) after an `end`. */
  allowAfterEnd(): void
  state(): EventStreamState
}

const CURSOR = /^\d{1,19}$/

/** The `cursor` of a `ready`/`changed` event's JSON data, or null when the data is not what the contract says. */
export function parseCursorEvent(data: unknown): string | null {
  if (typeof data !== 'string') return null
  try {
    const cursor = (JSON.parse(data) as { cursor?: unknown } | null)?.cursor
    return typeof cursor === 'string' && CURSOR.test(cursor) ? cursor : null
  } catch {
    return null
  }
}

/** Whether cursor `a` is past cursor `b` (cursors are decimal strings of up to 19 digits; null is "never synced"). */
export function isNewerCursor(a: string, b: string | null): boolean {
  if (b === null || !CURSOR.test(b)) return true
  return BigInt(a) > BigInt(b)
}

const globalClock: SchedulerClock = {
  setTimeout: (task, ms) => globalThis.setTimeout(task, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
}

/**
 * The live-updates stream's state machine: open → ready (sync) → changed… ; on an error it closes the stream and
 * reopens after a full-jitter exponential backoff (1 s base, 60 s cap; the count resets once a stream is ready);
 * on `end` it stays closed until `allowAfterEnd()`.
 */
export function createEventStreamClient(options: EventStreamClientOptions): EventStreamClient {
  const clock = options.clock ?? globalClock
  let state: EventStreamState = 'stopped'
  let source: EventSourceLike | null = null
  let reconnectTimer: unknown = null
  /** Failed opens/breaks since the last ready stream. */
  let failures = 0

  function setState(next: EventStreamState): void {
    if (state === next) return
    state = next
    options.onStateChange?.(next)
  }

  function closeSource(): void {
    const current = source
    source = null
    current?.close()
  }

  function cancelReconnect(): void {
    if (reconnectTimer !== null) clock.clearTimeout(reconnectTimer)
    reconnectTimer = null
  }

  function fail(): void {
    closeSource()
    failures++
    setState('waiting')
    const delay = retryDelayMs(failures, options.random ? { random: options.random } : {})
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = null
      connect()
    }, delay)
  }

  function connect(): void {
    setState('connecting')
    let opened: EventSourceLike
    try {
      opened = options.open(options.url())
    } catch {
      fail()
      return
    }
    source = opened
    // Events of a stream this client already closed (stop, error) are stale: ignore them.
    const live = () => source === opened
    opened.addEventListener('ready', (event) => {
      if (!live()) return
      const cursor = parseCursorEvent(event.data)
      failures = 0
      setState('open')
      if (cursor !== null) options.onReady(cursor)
    })
    opened.addEventListener('changed', (event) => {
      if (!live()) return
      const cursor = parseCursorEvent(event.data)
      if (cursor !== null) options.onChanged(cursor)
    })
    opened.addEventListener('end', (event) => {
      if (!live()) return
      closeSource()
      setState('ended')
      let reason: StreamEndReason = 'signed_out'
      try {
        const parsed = (JSON.parse(String(event.data)) as { reason?: unknown } | null)?.reason
        if (parsed === 'session_expired') reason = parsed
      } catch {
        // A malformed end is still an end.
      }
      options.onEnd?.(reason)
    })
    opened.addEventListener('error', () => {
      if (!live()) return
      fail()
    })
  }

  return {
    start() {
      if (state === 'connecting' || state === 'open' || state === 'waiting' || state === 'ended') return
      connect()
    },
    stop() {
      cancelReconnect()
      closeSource()
      if (state !== 'ended') setState('stopped')
    },
    allowAfterEnd() {
      if (state === 'ended') setState('stopped')
    },
    state: () => state,
  }
}

import { expect } from 'vitest'

/** One parsed Server-Sent Events block: a named event with data, or a comment (heartbeat). */
export interface StreamEvent {
  event?: string
  data?: string
  comment?: string
  retry?: number
}

export interface EventStreamReader {
  status: number
  headers: Headers
  /** Everything received so far, in order. */
  events: StreamEvent[]
  /** The raw text received so far. */
  raw(): string
  /** Named events only, e.g. named('changed'). */
  named(name: string): StreamEvent[]
  /** Polls until `check(events)` holds (no fixed sleeps); fails after `timeout` ms. */
  waitFor(check: (events: StreamEvent[]) => boolean, timeout?: number): Promise<void>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

/** GET `url` as an event stream and parse it as it arrives (what a browser's EventSource does). */
export async function readEventStream(
  fetchStream: (signal: AbortSignal) => Promise<Response>,
): Promise<EventStreamReader> {
  const abort = new AbortController()
  const response = await fetchStream(abort.signal)
  const events: StreamEvent[] = []
  let text = ''
  let buffer = ''
  const parseBlock = (block: string) => {
    const parsed: StreamEvent = {}
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) parsed.comment = line.slice(1).trim()
      else {
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'event') parsed.event = value
        else if (field === 'data')
          parsed.data = parsed.data === undefined ? value : `${parsed.data}\n${value}`
        else if (field === 'retry') parsed.retry = Number(value)
      }
    }
    events.push(parsed)
  }
  const ended = (async () => {
    if (!response.body) return
    const decoder = new TextDecoder()
    try {
      const reader = response.body.getReader()
      for (;;) {
        const { done, value: chunk } = await reader.read()
        if (done) break
        const piece = decoder.decode(chunk, { stream: true })
        text += piece
        buffer += piece
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          parseBlock(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
        }
      }
    } catch {
      // Aborted by close(), or the connection dropped: the stream is over either way.
    }
  })()
  return {
    status: response.status,
    headers: response.headers,
    events,
    raw: () => text,
    named: (name) => events.filter((e) => e.event === name),
    async waitFor(check, timeout = 30_000) {
      await expect.poll(() => check(events), { timeout, interval: 20 }).toBe(true)
    },
    ended,
    close: () => abort.abort(),
  }
}

export const cursorOf = (event: StreamEvent | undefined): string =>
  (JSON.parse(event?.data ?? '{}') as { cursor: string }).cursor

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EventEmitter } from 'node:events'
import type { Response } from 'express'
import { EventStream } from '../src/live/event-stream.ts'

/** The HTTP response is the boundary: a stand-in that records what would go on the wire. */
function fakeResponse() {
  const res = new EventEmitter() as EventEmitter & { chunks: string[]; writableEnded: boolean }
  res.chunks = []
  res.writableEnded = false
  Object.assign(res, {
    writeHead: () => res,
    write: (chunk: string) => res.chunks.push(chunk),
    end: () => {
      res.writableEnded = true
      res.emit('close')
    },
  })
  return res
}

const changedCursors = (chunks: string[]) =>
  chunks
    .filter((c) => c.startsWith('event: changed'))
    .map((c) => (JSON.parse(c.split('data: ')[1] ?? '{}') as { cursor: string }).cursor)

describe('EventStream coalescing', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const open = (coalesceMs = 250) => {
    const res = fakeResponse()
    const stream = new EventStream(res as unknown as Response, {
      deviceId: 'd',
      tokenHash: 't',
      coalesceMs,
      retryMs: 1000,
      onFinish: () => {},
    })
    stream.open('10')
    return { res, stream }
  }

  it('rule L4: 100 notices within one window become one changed now and one at the window’s end, with the newest cursor', () => {
    const { res, stream } = open()
    vi.advanceTimersByTime(1000) // quiet since ready: the first notice goes out at once
    for (let i = 11; i <= 110; i++) stream.notice(String(i))
    expect(changedCursors(res.chunks)).toEqual(['11'])
    vi.advanceTimersByTime(250)
    expect(changedCursors(res.chunks)).toEqual(['11', '110'])
    vi.advanceTimersByTime(10_000)
    expect(changedCursors(res.chunks)).toEqual(['11', '110'])
  })

  it('rule L4: a notice not newer than what the stream told is dropped; none is sent before ready', () => {
    const res = fakeResponse()
    const stream = new EventStream(res as unknown as Response, {
      deviceId: 'd',
      tokenHash: 't',
      coalesceMs: 0,
      retryMs: 1000,
      onFinish: () => {},
    })
    stream.notice('12') // arrives while the cursor is being read
    expect(res.chunks).toEqual([])
    stream.open('11')
    expect(changedCursors(res.chunks)).toEqual(['12'])
    stream.notice('12')
    stream.notice('9')
    expect(changedCursors(res.chunks)).toEqual(['12'])
  })

  it('rule L8: end tells the reason once and nothing follows', () => {
    const { res, stream } = open(0)
    stream.end('signed_out')
    stream.notice('99')
    stream.heartbeat()
    expect(res.chunks.at(-1)).toBe('event: end\ndata: {"reason":"signed_out"}\n\n')
    expect(res.writableEnded).toBe(true)
  })
})

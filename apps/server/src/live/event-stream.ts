import type { Response } from 'express'

export type EndReason = 'signed_out' | 'session_expired'

export interface EventStreamOptions {
  deviceId: string
  /** The session the stream belongs to: it ends when that session does. */
  tokenHash: string
  coalesceMs: number
  retryMs: number
  /** Called once when the stream is finished, whoever ended it. */
  onFinish(stream: EventStream): void
}

const newer = (a: string, b: string) => BigInt(a) > BigInt(b)

/**
 * One open `text/event-stream` response (docs/sync-protocol.md, "Live updates"). Sends `ready`, then at most one
 * `changed` per coalescing window carrying the newest cursor, comment heartbeats, and `end` when the session ends.
 * It never carries record data: the device fetches the changes with a delta sync.
 */
export class EventStream {
  readonly deviceId: string
  readonly tokenHash: string
  /** The newest cursor this stream has told about (ready or changed); undefined before `ready`. */
  private sent: string | undefined
  /** The newest cursor noticed and not yet sent. */
  private pending: string | undefined
  private lastSentAt = 0
  private timer: NodeJS.Timeout | undefined
  private finished = false

  constructor(
    private readonly res: Response,
    private readonly options: EventStreamOptions,
  ) {
    this.deviceId = options.deviceId
    this.tokenHash = options.tokenHash
    res.on('close', () => this.finish())
  }

  /** Sends the headers, the reconnect delay and `ready` with the current cursor. */
  open(cursor: string): void {
    if (this.finished) return
    // no-transform also keeps the compression middleware off: a gzip stream would hold events in its buffer.
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    this.res.socket?.setNoDelay(true)
    this.write(`retry: ${this.options.retryMs}\n\nevent: ready\ndata: ${JSON.stringify({ cursor })}\n\n`)
    this.sent = cursor
    this.lastSentAt = Date.now()
    if (this.pending !== undefined) this.schedule()
  }

  /** A committed change at `cursor` by another device: told within one coalescing window. */
  notice(cursor: string): void {
    if (this.finished) return
    if (this.pending !== undefined && !newer(cursor, this.pending)) return
    if (this.sent !== undefined && !newer(cursor, this.sent)) return
    this.pending = cursor
    if (this.sent !== undefined) this.schedule()
  }

  heartbeat(): void {
    if (this.sent !== undefined) this.write(': ping\n\n')
  }

  /** Tells the device why and closes the stream; the device must not reconnect until signed in again. */
  end(reason: EndReason): void {
    if (this.finished) return
    if (this.sent !== undefined) this.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`)
    this.res.end()
    this.finish()
  }

  /** Closes the stream without a reason (server shutdown): the device reconnects, to another instance maybe. */
  close(): void {
    if (this.finished) return
    this.res.end()
    this.finish()
  }

  private schedule() {
    if (this.timer) return
    const wait = this.lastSentAt + this.options.coalesceMs - Date.now()
    if (wait <= 0) return this.flush()
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush()
    }, wait)
  }

  private flush() {
    const cursor = this.pending
    this.pending = undefined
    if (cursor === undefined || this.finished) return
    this.write(`event: changed\ndata: ${JSON.stringify({ cursor })}\n\n`)
    this.sent = cursor
    this.lastSentAt = Date.now()
  }

  private write(chunk: string) {
    if (!this.finished && !this.res.writableEnded) this.res.write(chunk)
  }

  private finish() {
    if (this.finished) return
    this.finished = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.options.onFinish(this)
  }
}

// LISTEN on a database handle. Postgres: one dedicated pg connection per listener (pooled connections are shared
// by transactions and cannot hold a LISTEN), reopened with backoff when it drops. PGlite: its in-process listen().
import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export interface NoticeHandlers {
  /** A NOTIFY on one of the channels, delivered after the notifying transaction committed. */
  notice(channel: string, payload: string): void
  /**
   * The connection dropped and is listening again: notices sent in between are lost, so the caller should act as
   * if anything may have changed. Never called on PGlite (in-process, nothing to drop).
   */
  resumed?(): void
  /** Connection trouble, for the log; the listener keeps retrying by itself. */
  warn?(message: string): void
}

export interface NoticeListener {
  /** Stops listening and closes the dedicated connection. Idempotent. */
  close(): Promise<void>
}

/** Backoff between reconnect attempts of a dropped Postgres listener: 0.5 s doubling to 30 s. */
const RECONNECT_BASE_MS = 500
const RECONNECT_CAP_MS = 30_000

const CHANNEL = /^[a-z_][a-z0-9_]*$/

function checkChannels(channels: readonly string[]) {
  for (const channel of channels)
    if (!CHANNEL.test(channel)) throw new Error(`not a plain channel name: "${channel}"`)
}

/**
 * Listens on `channels` of the Postgres database at `databaseUrl`. Resolves once the first LISTEN is in place
 * (so a notice committed after that is delivered); rejects when the first connection fails.
 */
export async function listenPostgres(
  databaseUrl: string,
  channels: readonly string[],
  handlers: NoticeHandlers,
): Promise<NoticeListener> {
  checkChannels(channels)
  let client: pg.Client | undefined
  let closed = false
  let retry: NodeJS.Timeout | undefined
  let attempt = 0

  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 })
    // Without an error listener a dropped connection would crash the process.
    next.on('error', (error) => handlers.warn?.(`notice listener error: ${error.message}`))
    next.on('notification', (message) => {
      if (message.payload !== undefined) handlers.notice(message.channel, message.payload)
    })
    try {
      await next.connect()
      for (const channel of channels) await next.query(`LISTEN ${channel}`)
    } catch (error) {
      await next.end().catch(() => {})
      throw error
    }
    next.once('end', () => {
      if (closed || client !== next) return
      client = undefined
      handlers.warn?.('notice listener connection ended; reconnecting')
      scheduleReconnect()
    })
    return next
  }

  const scheduleReconnect = () => {
    if (closed || retry) return
    const delay = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt++)
    retry = setTimeout(() => {
      retry = undefined
      connect().then(
        (next) => {
          if (closed) return void next.end().catch(() => {})
          client = next
          attempt = 0
          handlers.resumed?.()
        },
        (error: unknown) => {
          handlers.warn?.(`notice listener reconnect failed: ${String(error)}`)
          scheduleReconnect()
        },
      )
    }, delay)
    retry.unref()
  }

  client = await connect()
  return {
    async close() {
      closed = true
      clearTimeout(retry)
      const current = client
      client = undefined
      await current?.end().catch(() => {})
    },
  }
}

/** Listens on `channels` of an in-process PGlite database. */
export async function listenPglite(
  pglite: PGlite,
  channels: readonly string[],
  handlers: NoticeHandlers,
): Promise<NoticeListener> {
  checkChannels(channels)
  const stops: (() => Promise<void>)[] = []
  for (const channel of channels)
    stops.push(await pglite.listen(channel, (payload) => handlers.notice(channel, payload)))
  let closed = false
  return {
    async close() {
      if (closed) return
      closed = true
      // After pglite.close() there is nothing left to unlisten.
      if (!pglite.closed) for (const stop of stops) await stop().catch(() => {})
    },
  }
}

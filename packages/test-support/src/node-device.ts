import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import {
  createAttentionActions,
  createLocalDatabase,
  createLocalQueries,
  createLocalWrites,
  createSyncEngine,
  memorySyncLock,
  syncUntilSettled,
  type LocalRecord,
  type SyncReport,
  type Transport,
  type WireSyncRequest,
} from '@offline-sync/sync-client'
import { companiesContacts } from '@offline-sync/sync-protocol'
// The client engine's HTTP transport, the one the PWA uses, so the devices speak HTTP exactly as it does.
import { createHttpTransport } from '@offline-sync/sync-client/http'

export const spec = companiesContacts

export interface Credentials {
  email: string
  password: string
}

/** A signed-in session as a browser holds it: the sid cookie, the CSRF token and the account id. */
export interface Session {
  cookie: string
  csrfToken: string
  userId: number
}

/** POST /api/setup on a server without accounts: creates the first one (and signs it in). Throws otherwise. */
export async function setUpFirstAccount(baseURL: string, credentials: Credentials): Promise<Session> {
  return sessionFrom(await postJson(`${baseURL}/api/setup`, credentials), 201, 'POST /api/setup')
}

/** POST /api/auth/sign-in. Throws with the server's answer when refused. */
export async function signIn(baseURL: string, credentials: Credentials): Promise<Session> {
  return sessionFrom(
    await postJson(`${baseURL}/api/auth/sign-in`, credentials),
    200,
    'POST /api/auth/sign-in',
  )
}

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

async function sessionFrom(response: Response, status: number, what: string): Promise<Session> {
  const text = await response.text()
  if (response.status !== status) throw new Error(`${what} answered ${response.status}: ${text}`)
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('sid='))
  if (!cookie) throw new Error(`${what} set no sid cookie`)
  const body = JSON.parse(text) as { user: { id: number }; csrfToken: string }
  return { cookie, csrfToken: body.csrfToken, userId: body.user.id }
}

/** One request the device sent and what came back: the parsed 200 body, or the failure. */
export interface Exchange {
  request: WireSyncRequest
  response?: { cursor: string; replayed: boolean; rejected: { entity: string; uid: string; code: string }[] }
  error?: unknown
  ms: number
}

/**
 * A device in Node: the real client engine (packages/sync-client) on its own fake IndexedDB (its own IDBFactory,
 * so devices share nothing but the server) and the web app's HTTP transport, signed in with `session`, sending
 * POST /api/sync to `baseURL` (the server, or a proxy in front of it). Every exchange is recorded.
 */
export function createNodeDevice(options: {
  label: string
  session: Session
  baseURL: string
  /** A sync not answered by then fails as `timeout` and is resent later under the same syncId. */
  timeoutMs?: number
}) {
  const { session } = options
  const db = createLocalDatabase(spec, `${options.label}-${crypto.randomUUID()}`, {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  })
  // A browser sends the cookie by itself; Node's fetch has no cookie jar, so the wrapper adds it.
  const withCookie: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers)
    headers.set('cookie', session.cookie)
    return fetch(input, { ...init, headers })
  }
  const http = createHttpTransport({
    url: `${options.baseURL}/api/sync`,
    fetch: withCookie,
    isOnline: () => true,
    accountId: () => session.userId,
    // Per device, not the web app's module-wide memory: each simulated device has its own session.
    csrfToken: () => Promise.resolve(session.csrfToken),
    refreshCsrfToken: () => Promise.resolve(session.csrfToken),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  })
  const exchanges: Exchange[] = []
  const transport: Transport = async (request) => {
    const exchange: Exchange = { request: structuredClone(request), ms: 0 }
    exchanges.push(exchange)
    const started = performance.now()
    try {
      const body = await http(request)
      exchange.response = body as Exchange['response']
      return body
    } catch (err) {
      exchange.error = err
      throw err
    } finally {
      exchange.ms = performance.now() - started
    }
  }
  const engine = createSyncEngine({ db, spec, transport, lock: memorySyncLock() })
  const writes = createLocalWrites(db, spec)

  return {
    label: options.label,
    db,
    writes,
    queries: createLocalQueries(db, spec),
    attention: createAttentionActions(db, spec),
    exchanges,
    sync: (): Promise<SyncReport> => engine.sync('manual'),

    /**
     * The engine's loop with timer retries (syncUntilSettled): after a retryable failure it waits (exponential
     * backoff with full jitter, never less than the server's Retry-After) and syncs again — no new local write in
     * between, so the same outbox (same syncId) is resent. Resolves every report, the last one being the first
     * that did not fail retryably (or the last allowed attempt). `onFailure` sees each retryable failure.
     */
    async syncWithRetries(maxAttempts = 10, onFailure?: (report: SyncReport) => void | Promise<void>) {
      const reports: SyncReport[] = []
      await syncUntilSettled(engine, {
        maxRetries: maxAttempts - 1,
        onReport: async (report) => {
          reports.push(report)
          if (report.outcome === 'failed' && report.error?.retryable) await onFailure?.(report)
        },
      })
      return reports
    },

    /** Records still waiting to be sent (added, edited or deleted here). */
    async pending(): Promise<LocalRecord[]> {
      const parents = await db.parents.where('_pending').equals(1).toArray()
      const children = await db.children.where('_pending').equals(1).toArray()
      return [...parents, ...children] as unknown as LocalRecord[]
    },

    async outbox() {
      return db.outbox.toArray()
    },

    close: () => db.close(),
  }
}

export type NodeDevice = ReturnType<typeof createNodeDevice>

import { SyncFailure, type FailureKind, type Transport } from '@offline-sync/client-engine'
import { createAuthApi } from '../account/auth-api.ts'

/** Where the server takes syncs (same origin as the app: the server serves both). */
export const SYNC_PATH = '/api/sync'

export interface HttpTransportOptions {
  /** Same origin as the app: the server serves both. */
  url?: string
  /** A sync that has not answered by then is abandoned and resent later under the same syncId. */
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
  /** Whether the browser believes it is online; tells "offline" from "the server is unreachable". */
  isOnline?: () => boolean
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number
  /** The account whose changes are sent (header X-Account-Id): the server refuses them under another session. */
  accountId?: () => number | null
  /** The session's CSRF token; by default from memory, else from GET /api/auth/session. Null: no session. */
  csrfToken?: () => Promise<string | null>
  /** Forgets the token and fetches the session's current one, after a 403 csrf_failed. */
  refreshCsrfToken?: () => Promise<string | null>
}

/** The protocol's error envelope `{ error: { code, message, details? } }`, when the body holds one. */
interface ErrorEnvelope {
  code?: string
  message?: string
  details?: unknown
}

async function readEnvelope(response: Response): Promise<ErrorEnvelope> {
  try {
    const body: unknown = await response.json()
    const error = (body as { error?: unknown } | null)?.error
    return typeof error === 'object' && error !== null ? (error as ErrorEnvelope) : {}
  } catch {
    // Proxies and crashed servers answer with HTML or nothing; the status alone has to do.
    return {}
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function kindForStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 408) return 'timeout'
  if (status === 409) return 'conflict'
  if (status === 429) return 'rate_limited'
  if (status === 503) return 'unavailable'
  if (status >= 500) return 'server'
  return 'bad_request'
}

const FALLBACK_MESSAGES: Record<FailureKind, string> = {
  offline: 'You are offline',
  timeout: 'The server took too long to answer',
  network: 'The server could not be reached',
  unauthorized: 'You are not signed in',
  rate_limited: 'The server is busy; it asked us to wait',
  unavailable: 'The server is temporarily unavailable',
  server: 'The server had a problem',
  bad_request: 'The server refused the changes',
  conflict: 'The server refused this sync attempt',
  invalid_response: 'The server sent an answer the app does not understand',
  version_not_supported: 'This version of the app is out of date: update it to sync',
}

/**
 * POST /api/sync with fetch. Resolves the parsed JSON of a 200; everything else throws a SyncFailure whose kind
 * tells the engine whether resending makes sense. The response body is not validated here: the engine does it
 * before touching anything local.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const url = options.url ?? SYNC_PATH
  const timeoutMs = options.timeoutMs ?? 30_000
  const isOnline = options.isOnline ?? (() => navigator.onLine)
  const now = options.now ?? Date.now
  const auth = createAuthApi({
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    isOnline,
  })
  const csrfToken = options.csrfToken ?? auth.csrfToken
  const refreshCsrfToken = options.refreshCsrfToken ?? auth.refreshCsrfToken

  return async (request) => {
    const doFetch = options.fetch ?? globalThis.fetch
    const controller = new AbortController()
    let timedOut = false
    const body = JSON.stringify(request)
    const accountId = options.accountId?.() ?? null
    const post = (token: string | null) =>
      doFetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...(token === null ? {} : { 'X-CSRF-Token': token }),
          ...(accountId === null ? {} : { 'X-Account-Id': String(accountId) }),
        },
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: controller.signal,
      })
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    try {
      let response: Response
      try {
        response = await post(await csrfToken())
        if (response.status === 403 && (await readEnvelope(response.clone())).code === 'csrf_failed') {
          // The token in memory belongs to an earlier session (signed in again, or in another tab): once only,
          // fetch the current one and resend the very same request.
          response = await post(await refreshCsrfToken())
        }
      } catch (err) {
        if (timedOut) throw new SyncFailure('timeout', `${FALLBACK_MESSAGES.timeout} (${timeoutMs / 1000} s)`)
        const kind = isOnline() ? 'network' : 'offline'
        throw new SyncFailure(kind, FALLBACK_MESSAGES[kind], { cause: err })
      }

      if (response.ok) {
        if (response.status !== 200) {
          throw new SyncFailure(
            'invalid_response',
            `${FALLBACK_MESSAGES.invalid_response} (HTTP ${response.status})`,
            {
              status: response.status,
            },
          )
        }
        try {
          return (await response.json()) as unknown
        } catch (err) {
          // A body cut short by a timeout is a lost response (resend), not a bad one.
          if (timedOut)
            throw new SyncFailure('timeout', `${FALLBACK_MESSAGES.timeout} (${timeoutMs / 1000} s)`)
          throw new SyncFailure('invalid_response', `${FALLBACK_MESSAGES.invalid_response} (not JSON)`, {
            status: response.status,
            cause: err,
          })
        }
      }

      const envelope = await readEnvelope(response)
      // Rule P3: told apart by its code, so the app asks for an update instead of marking records invalid.
      const kind: FailureKind =
        envelope.code === 'version_not_supported' ? 'version_not_supported' : kindForStatus(response.status)
      const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now())
      throw new SyncFailure(
        kind,
        envelope.message ?? `${FALLBACK_MESSAGES[kind]} (HTTP ${response.status})`,
        {
          status: response.status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          ...(envelope.details === undefined ? {} : { details: envelope.details }),
        },
      )
    } finally {
      clearTimeout(timer)
    }
  }
}

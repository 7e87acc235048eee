import { failureKindOfError, readErrorEnvelope, type FailureKind } from '@offline-sync/sync-protocol'
import { SyncFailure, type Transport } from './transport.ts'

/** Where the server takes syncs (the reference server serves the app from the same origin). */
export const SYNC_PATH = '/api/sync'

export interface HttpTransportOptions {
  /** Default SYNC_PATH, relative to the page's origin. */
  url?: string
  /** A sync that has not answered by then is abandoned and resent later under the same syncId. Default 30 s. */
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
  /** Whether the device believes it is online; tells "offline" from "the server is unreachable". Default
   *  `navigator.onLine` where there is a navigator, else true. */
  isOnline?: () => boolean
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number
  /** The account whose changes are sent (header X-Account-Id): the server refuses them under another session. */
  accountId?: () => number | null
  /** The session's CSRF token (header X-CSRF-Token). Null or absent: none is sent. May throw (counted as a
   *  network failure, since fetching a token needs the server). */
  csrfToken?: () => Promise<string | null>
  /** Forgets the token and fetches the session's current one, after a 403 csrf_failed. Default: csrfToken. */
  refreshCsrfToken?: () => Promise<string | null>
}

/** The envelope's code, message and details when the body holds one (rule E1); nothing otherwise. */
async function readEnvelope(response: Response) {
  try {
    return readErrorEnvelope(await response.json())
  } catch {
    // Proxies and crashed servers answer with HTML or nothing; the status alone has to do.
    return undefined
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Rule E2's fallback, for an answer without an envelope of a known code (a proxy's 502 page, a newer server). */
export function failureKindOfStatus(status: number): FailureKind {
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

const defaultIsOnline = () => (typeof navigator === 'undefined' ? true : navigator.onLine)
const noToken = () => Promise.resolve(null)

/**
 * The engine's Transport over HTTP: POST `url` with fetch. Resolves the parsed JSON of a 200; everything else
 * throws a SyncFailure whose kind comes from the error envelope's code (rule E2), else from the status, and tells
 * the engine whether resending makes sense. The response body is not validated here: the engine does it before
 * touching anything local. Never retries on its own, except once after 403 csrf_failed with a fresh token (the
 * very same body).
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const url = options.url ?? SYNC_PATH
  const timeoutMs = options.timeoutMs ?? 30_000
  const isOnline = options.isOnline ?? defaultIsOnline
  const now = options.now ?? Date.now
  const csrfToken = options.csrfToken ?? noToken
  const refreshCsrfToken = options.refreshCsrfToken ?? csrfToken
  const timeoutFailure = () =>
    new SyncFailure('timeout', `${FALLBACK_MESSAGES.timeout} (${timeoutMs / 1000} s)`)

  return async (request) => {
    // Read per call, so a test or an app that swaps globalThis.fetch later is honoured.
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
        if (response.status === 403 && (await readEnvelope(response.clone()))?.code === 'csrf_failed') {
          // The token in memory belongs to an earlier session (signed in again, or in another tab): once only,
          // fetch the current one and resend the very same request.
          response = await post(await refreshCsrfToken())
        }
      } catch (err) {
        if (timedOut) throw timeoutFailure()
        const kind = isOnline() ? 'network' : 'offline'
        throw new SyncFailure(kind, FALLBACK_MESSAGES[kind], { cause: err })
      }

      if (response.ok) {
        if (response.status !== 200) {
          throw new SyncFailure(
            'invalid_response',
            `${FALLBACK_MESSAGES.invalid_response} (HTTP ${response.status})`,
            { status: response.status },
          )
        }
        try {
          return (await response.json()) as unknown
        } catch (err) {
          // A body cut short by a timeout is a lost response (resend), not a bad one.
          if (timedOut) throw timeoutFailure()
          throw new SyncFailure('invalid_response', `${FALLBACK_MESSAGES.invalid_response} (not JSON)`, {
            status: response.status,
            cause: err,
          })
        }
      }

      const envelope = await readEnvelope(response)
      const kind = (envelope && failureKindOfError(envelope.code)) ?? failureKindOfStatus(response.status)
      const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now())
      throw new SyncFailure(
        kind,
        envelope?.message ?? `${FALLBACK_MESSAGES[kind]} (HTTP ${response.status})`,
        {
          status: response.status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          ...(envelope?.details === undefined ? {} : { details: envelope.details }),
        },
      )
    } finally {
      clearTimeout(timer)
    }
  }
}

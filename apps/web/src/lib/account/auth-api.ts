import { isAccount, type Account } from './stored-account.ts'
import { currentCsrfToken, forgetCsrfToken, rememberCsrfToken } from './csrf-token.ts'

type Fetch = typeof globalThis.fetch

/** Why a sign-in, setup or sign-out did not work, in the terms the screens need. */
export type AuthFailureKind =
  | 'invalid' // a field broke the rules: see fieldErrors
  | 'invalid_credentials'
  | 'rate_limited'
  | 'setup_done'
  | 'unauthenticated'
  | 'offline'
  | 'network'
  | 'server'

export interface AuthFailure {
  ok: false
  kind: AuthFailureKind
  message: string
  fieldErrors: { email?: string; password?: string }
  retryAfterSeconds?: number
}

export type AuthResult = { ok: true; account: Account; csrfToken: string } | AuthFailure

export interface AuthApiOptions {
  fetch?: Fetch
  isOnline?: () => boolean
}

const ANSWER_TIMEOUT_MS = 15_000

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' }

function failure(
  kind: AuthFailureKind,
  message: string,
  extra: Partial<Omit<AuthFailure, 'ok' | 'kind' | 'message'>> = {},
): AuthFailure {
  return { ok: false, kind, message, fieldErrors: {}, ...extra }
}

function unreachable(isOnline: () => boolean): AuthFailure {
  return isOnline()
    ? failure('network', 'The server could not be reached. Try again in a moment.')
    : failure('offline', 'You are offline. Signing in needs a connection.')
}

async function readBody(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown
  } catch {
    return null
  }
}

/** `{ user, csrfToken }` → the account and token, or null when the body is not that. */
function readSignedIn(body: unknown): { account: Account; csrfToken: string } | null {
  const { user, csrfToken } = (body ?? {}) as { user?: unknown; csrfToken?: unknown }
  if (!isAccount(user) || typeof csrfToken !== 'string' || csrfToken === '') return null
  return { account: { id: user.id, email: user.email }, csrfToken }
}

/** The error envelope's code, message and per-field details (400 `invalid`). */
function readError(body: unknown): {
  code?: string
  message?: string
  fieldErrors: AuthFailure['fieldErrors']
} {
  const error = (body as { error?: unknown } | null)?.error
  if (typeof error !== 'object' || error === null) return { fieldErrors: {} }
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown }
  const fieldErrors: AuthFailure['fieldErrors'] = {}
  if (Array.isArray(details)) {
    for (const detail of details as { path?: unknown; message?: unknown }[]) {
      const field: unknown = Array.isArray(detail.path) ? (detail.path as unknown[])[0] : detail.path
      if ((field === 'email' || field === 'password') && typeof detail.message === 'string')
        fieldErrors[field] ??= detail.message
    }
  }
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    fieldErrors,
  }
}

async function answerToResult(response: Response): Promise<AuthResult> {
  const body = await readBody(response)
  if (response.ok) {
    const signedIn = readSignedIn(body)
    if (!signedIn) return failure('server', 'The server sent an answer the app does not understand.')
    rememberCsrfToken(signedIn.csrfToken)
    return { ok: true, ...signedIn }
  }
  const { code, message, fieldErrors } = readError(body)
  if (response.status === 400)
    return failure('invalid', message ?? 'Check the email and password.', { fieldErrors })
  if (response.status === 401) return failure('invalid_credentials', 'The email or password is not right.')
  if (response.status === 409 && code === 'setup_done')
    return failure('setup_done', 'This server already has an account. Sign in with it.')
  if (response.status === 429) {
    const seconds = Number(response.headers.get('Retry-After'))
    const wait = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : null
    return failure(
      'rate_limited',
      wait === null
        ? 'Too many attempts. Wait a while, then try again.'
        : `Too many attempts. Try again in ${wait} ${wait === 1 ? 'minute' : 'minutes'}.`,
      Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: seconds } : {},
    )
  }
  return failure('server', message ?? `The server had a problem (HTTP ${response.status}).`)
}

/** Talks to the account endpoints of the server (same origin). Keeps the CSRF token of the session it sees. */
export function createAuthApi(options: AuthApiOptions = {}) {
  const doFetch: Fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init)
  const isOnline = options.isOnline ?? (() => navigator.onLine)

  async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return doFetch(path, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    })
  }

  /** GET /api/auth/session: the signed-in account, or null when there is no session. Throws when unreachable. */
  async function session(): Promise<{ account: Account; csrfToken: string } | null> {
    const response = await doFetch('/api/auth/session', {
      headers: { Accept: 'application/json' },
      // A server that accepts the connection but never answers must not keep the start screen blank.
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      credentials: 'same-origin',
      cache: 'no-store',
    })
    if (response.status === 401) {
      forgetCsrfToken()
      return null
    }
    if (!response.ok) throw new Error(`GET /api/auth/session answered HTTP ${response.status}`)
    const body = await readBody(response)
    // Rule A16: without a session cookie the server answers 200 with no user (401 only for a dead cookie).
    if ((body as { user?: unknown } | null)?.user === null) {
      forgetCsrfToken()
      return null
    }
    const signedIn = readSignedIn(body)
    if (!signedIn) throw new Error('GET /api/auth/session sent an answer the app does not understand')
    rememberCsrfToken(signedIn.csrfToken)
    return signedIn
  }

  return {
    session,

    /** GET /api/setup: whether the server has no account yet. Throws when unreachable. */
    async setupNeeded(): Promise<boolean> {
      const response = await doFetch('/api/setup', {
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      })
      if (!response.ok) throw new Error(`GET /api/setup answered HTTP ${response.status}`)
      const body = (await readBody(response)) as { needed?: unknown } | null
      return body?.needed === true
    },

    async signIn(email: string, password: string): Promise<AuthResult> {
      try {
        return await answerToResult(await post('/api/auth/sign-in', { email, password }))
      } catch {
        return unreachable(isOnline)
      }
    },

    /** POST /api/setup: creates the first account and signs it in. */
    async createFirstAccount(email: string, password: string): Promise<AuthResult> {
      try {
        return await answerToResult(await post('/api/setup', { email, password }))
      } catch {
        return unreachable(isOnline)
      }
    },

    /**
     * POST /api/auth/sign-out. An already ended session counts as signed out. Fails (and nothing changes) when the
     * server cannot be reached: the session would stay valid on the server and come back at the next start.
     */
    async signOut(): Promise<{ ok: true } | AuthFailure> {
      try {
        const token = currentCsrfToken() ?? (await session())?.csrfToken
        if (token === undefined) return { ok: true }
        const response = await post('/api/auth/sign-out', undefined, { 'X-CSRF-Token': token })
        if (response.status === 403 && readError(await readBody(response)).code === 'csrf_failed') {
          // The token in memory belonged to an earlier session: fetch the current one and try once more.
          const fresh = (await session())?.csrfToken
          if (fresh === undefined) return { ok: true }
          const again = await post('/api/auth/sign-out', undefined, { 'X-CSRF-Token': fresh })
          if (!again.ok && again.status !== 401)
            return failure('server', `Signing out failed (HTTP ${again.status}).`)
        } else if (!response.ok && response.status !== 401) {
          return failure('server', `Signing out failed (HTTP ${response.status}).`)
        }
        forgetCsrfToken()
        return { ok: true }
      } catch {
        return isOnline()
          ? failure('network', 'The server could not be reached, so you are still signed in. Try again.')
          : failure('offline', 'You are offline. Signing out needs a connection.')
      }
    },

    /** The CSRF token for an unsafe request: from memory, else from the current session (null without one). */
    async csrfToken(): Promise<string | null> {
      return currentCsrfToken() ?? (await session())?.csrfToken ?? null
    },

    /** Drops the token in memory and fetches the session's current one (after a 403 csrf_failed). */
    async refreshCsrfToken(): Promise<string | null> {
      forgetCsrfToken()
      return (await session())?.csrfToken ?? null
    },
  }
}

export type AuthApi = ReturnType<typeof createAuthApi>

/** The app's one client for the account endpoints. */
export const authApi = createAuthApi()

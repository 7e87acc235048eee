import { beforeEach, describe, expect, it } from 'vitest'
import { SyncFailure, type WireSyncRequest } from '@offline-sync/sync-client'
import { createHttpTransport } from './http-transport.ts'
import { currentCsrfToken, forgetCsrfToken } from '../account/csrf-token.ts'

// The transport itself is tested in packages/sync-client/test/http-transport.test.ts; these tests are about the
// session this app gives it: the CSRF token from memory or GET /api/auth/session.

type FetchStub = (url: string, init: RequestInit) => Promise<Response>

const request: WireSyncRequest = {
  deviceId: '5a0f3c1e-8d2b-4f6a-9c3e-1b2d3e4f5a6b',
  syncId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  companies: { added: [], modified: [], deleted: [] },
  contacts: { added: [], modified: [], deleted: [] },
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

async function failureOf(promise: Promise<unknown>): Promise<SyncFailure> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(SyncFailure)
    return err as SyncFailure
  }
  throw new Error('expected the transport to throw')
}

describe('http transport: session headers', () => {
  beforeEach(() => forgetCsrfToken())

  const signedIn = (csrfToken: string) => json(200, { user: { id: 7, email: 'a@example.com' }, csrfToken })
  const csrfFailed = () => json(403, { error: { code: 'csrf_failed', message: 'Bad CSRF token' } })

  function recorder(answers: ((url: string, init: RequestInit) => Response)[]) {
    const calls: { url: string; method: string; headers: Headers; body: unknown }[] = []
    const fetch: FetchStub = async (url, init) => {
      calls.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body })
      const answer = answers[calls.length - 1]
      if (!answer) throw new Error(`unexpected request #${calls.length} to ${url}`)
      return answer(url, init)
    }
    return { calls, fetch: fetch as typeof globalThis.fetch }
  }

  it('fetches the token from GET /api/auth/session when none is in memory, then keeps it', async () => {
    const { calls, fetch } = recorder([
      () => signedIn('from-session'),
      () => json(200, { ok: true }),
      () => json(200, { ok: true }),
    ])
    const send = createHttpTransport({ fetch, accountId: () => 7 })
    await send(request)
    await send(request)
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'GET /api/auth/session',
      'POST /api/sync',
      'POST /api/sync',
    ])
    expect(calls[1]?.headers.get('X-CSRF-Token')).toBe('from-session')
    expect(calls[2]?.headers.get('X-CSRF-Token')).toBe('from-session')
    expect(currentCsrfToken()).toBe('from-session')
  })

  it('on 403 csrf_failed refetches the token once and resends the very same request', async () => {
    const { calls, fetch } = recorder([
      () => csrfFailed(),
      () => signedIn('fresh'),
      () => json(200, { ok: true }),
    ])
    const send = createHttpTransport({ fetch, csrfToken: async () => 'stale', accountId: () => 7 })
    await expect(send(request)).resolves.toEqual({ ok: true })
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'POST /api/sync',
      'GET /api/auth/session',
      'POST /api/sync',
    ])
    expect(calls[2]?.headers.get('X-CSRF-Token')).toBe('fresh')
    expect(calls[2]?.body).toBe(calls[0]?.body)
  })

  it('a second 403 csrf_failed is not resent again: the sync fails as unauthorized', async () => {
    const { calls, fetch } = recorder([() => csrfFailed(), () => signedIn('fresh'), () => csrfFailed()])
    const send = createHttpTransport({ fetch, csrfToken: async () => 'stale' })
    expect(await failureOf(send(request))).toMatchObject({
      kind: 'unauthorized',
      retryable: false,
      status: 403,
    })
    expect(calls.filter((call) => call.url === '/api/sync')).toHaveLength(2)
  })

  it('without a session it still sends (no token) and the 401 is reported as unauthorized', async () => {
    const { calls, fetch } = recorder([
      () => json(401, { error: { code: 'unauthenticated', message: 'Sign in' } }),
      () => json(401, { error: { code: 'unauthenticated', message: 'Sign in' } }),
    ])
    const send = createHttpTransport({ fetch, accountId: () => 7 })
    expect(await failureOf(send(request))).toMatchObject({
      kind: 'unauthorized',
      retryable: false,
      status: 401,
    })
    expect(calls[1]?.headers.has('X-CSRF-Token')).toBe(false)
  })

  it('401 account_mismatch (another account signed in) is unauthorized, not retried by a timer', async () => {
    const { fetch } = recorder([
      () => json(401, { error: { code: 'account_mismatch', message: 'Other account' } }),
    ])
    const send = createHttpTransport({ fetch, csrfToken: async () => 'tok', accountId: () => 7 })
    expect(await failureOf(send(request))).toMatchObject({ kind: 'unauthorized', retryable: false })
  })

  it('an unreachable session endpoint is a network failure (retryable), not a sign-in problem', async () => {
    const send = createHttpTransport({
      fetch: (async () => {
        throw new TypeError('Failed to fetch')
      }) as typeof globalThis.fetch,
      isOnline: () => true,
    })
    expect(await failureOf(send(request))).toMatchObject({ kind: 'network', retryable: true })
  })
})

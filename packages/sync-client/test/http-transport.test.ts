import { describe, expect, it } from 'vitest'
import { failureKindOfError } from '@offline-sync/sync-protocol'
import { SyncFailure, type Transport } from '../src/index.ts'
import { createHttpTransport, failureKindOfStatus, parseRetryAfter } from '../src/http-transport.ts'

type FetchStub = (url: string, init: RequestInit) => Promise<Response>

const request = {
  deviceId: '5a0f3c1e-8d2b-4f6a-9c3e-1b2d3e4f5a6b',
  syncId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  companies: { added: [], modified: [], deleted: [] },
  contacts: { added: [], modified: [], deleted: [] },
} as unknown as Parameters<Transport>[0]

function transportWith(fetch: FetchStub, opts: { online?: boolean; timeoutMs?: number } = {}) {
  return createHttpTransport({
    fetch: fetch as typeof globalThis.fetch,
    isOnline: () => opts.online ?? true,
    timeoutMs: opts.timeoutMs ?? 30_000,
    now: () => Date.parse('2025-01-01T00:00:00Z'),
    csrfToken: async () => 'token-1',
  })
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

describe('http transport', () => {
  it('posts the request as JSON to /api/sync and resolves the parsed body of a 200', async () => {
    let seen: { url: string; init: RequestInit } | undefined
    const send = transportWith(async (url, init) => {
      seen = { url, init }
      return json(200, { ok: true })
    })
    await expect(send(request)).resolves.toEqual({ ok: true })
    expect(seen?.url).toBe('/api/sync')
    expect(seen?.init.method).toBe('POST')
    expect(new Headers(seen?.init.headers).get('Content-Type')).toBe('application/json')
    expect(JSON.parse(String(seen?.init.body))).toEqual(request)
    expect(seen?.init.cache).toBe('no-store')
  })

  it('reports a 200 that is not JSON (e.g. an HTML page) as an invalid response, never as data', async () => {
    const send = transportWith(async () => new Response('<!doctype html><p>hi', { status: 200 }))
    const failure = await failureOf(send(request))
    expect(failure.kind).toBe('invalid_response')
  })

  it('R7: a network error while online is retryable, so the same request is resent', async () => {
    const send = transportWith(async () => {
      throw new TypeError('Failed to fetch')
    })
    const failure = await failureOf(send(request))
    expect(failure).toMatchObject({ kind: 'network', retryable: true })
  })

  it('tells "offline" from "server unreachable" by navigator.onLine', async () => {
    const send = transportWith(
      async () => {
        throw new TypeError('Failed to fetch')
      },
      { online: false },
    )
    expect((await failureOf(send(request))).kind).toBe('offline')
  })

  it('R7: a response that does not arrive in time is abandoned as a retryable timeout', async () => {
    const send = transportWith(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        }),
      { timeoutMs: 5 },
    )
    expect(await failureOf(send(request))).toMatchObject({ kind: 'timeout', retryable: true })
  })

  it('R20: 429 and 503 are retryable and carry Retry-After in milliseconds', async () => {
    const limited = await failureOf(
      transportWith(async () =>
        json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '7' }),
      )(request),
    )
    expect(limited).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 7000, status: 429 })
    expect(limited.message).toBe('Slow down')

    const down = await failureOf(
      transportWith(async () =>
        json(503, { error: { code: 'unavailable', message: 'Database down' } }, { 'Retry-After': '5' }),
      )(request),
    )
    expect(down).toMatchObject({ kind: 'unavailable', retryable: true, retryAfterMs: 5000 })
  })

  it('R7: any other 5xx is a retryable server failure, even with an HTML body', async () => {
    const failure = await failureOf(
      transportWith(async () => new Response('<h1>Bad gateway</h1>', { status: 502 }))(request),
    )
    expect(failure).toMatchObject({ kind: 'server', retryable: true, status: 502 })
    expect(failure.message).toContain('502')
  })

  it('R19: 400, 413 and 422 are a bad request that is not resent, with the envelope details', async () => {
    const details = [
      { path: 'contacts.added.0.email', message: 'Email must be an email address like name@example.com' },
    ]
    for (const status of [400, 413, 422]) {
      const failure = await failureOf(
        transportWith(async () =>
          json(status, { error: { code: 'invalid_request', message: 'Bad input', details } }),
        )(request),
      )
      expect(failure).toMatchObject({ kind: 'bad_request', retryable: false, status, details })
      expect(failure.message).toBe('Bad input')
    }
  })

  it('rule P3: 400 version_not_supported is its own kind, not a bad request, and is not resent', async () => {
    const failure = await failureOf(
      transportWith(async () =>
        json(400, {
          error: { code: 'version_not_supported', message: 'Update', details: { supported: [3] } },
        }),
      )(request),
    )
    expect(failure).toMatchObject({ kind: 'version_not_supported', retryable: false, status: 400 })
  })

  it('R9: 409 sync_id_reused is a conflict: the attempt is dropped, not resent', async () => {
    const failure = await failureOf(
      transportWith(async () => json(409, { error: { code: 'sync_id_reused', message: 'Reused' } }))(request),
    )
    expect(failure).toMatchObject({ kind: 'conflict', retryable: false })
  })

  it('401 means "sign in", not a timer retry', async () => {
    const failure = await failureOf(
      transportWith(async () => json(401, { error: { code: 'unauthorized', message: 'Sign in' } }))(request),
    )
    expect(failure).toMatchObject({ kind: 'unauthorized', retryable: false })
  })
})

describe('http transport: session headers', () => {
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

  it('sends X-CSRF-Token and X-Account-Id with the sync', async () => {
    const { calls, fetch } = recorder([() => json(200, { ok: true })])
    const send = createHttpTransport({ fetch, csrfToken: async () => 'tok-A', accountId: () => 7 })
    await send(request)
    expect(calls[0]?.headers.get('X-CSRF-Token')).toBe('tok-A')
    expect(calls[0]?.headers.get('X-Account-Id')).toBe('7')
  })

  it('without a token source it sends no X-CSRF-Token, and a 401 is unauthorized', async () => {
    const { calls, fetch } = recorder([
      () => json(401, { error: { code: 'unauthenticated', message: 'Sign in' } }),
    ])
    const send = createHttpTransport({ fetch })
    expect(await failureOf(send(request))).toMatchObject({
      kind: 'unauthorized',
      retryable: false,
      status: 401,
    })
    expect(calls[0]?.headers.has('X-CSRF-Token')).toBe(false)
    expect(calls[0]?.headers.has('X-Account-Id')).toBe(false)
  })

  it('on 403 csrf_failed asks refreshCsrfToken once and resends the very same request', async () => {
    const { calls, fetch } = recorder([() => csrfFailed(), () => json(200, { ok: true })])
    let refreshed = 0
    const send = createHttpTransport({
      fetch,
      csrfToken: async () => 'stale',
      refreshCsrfToken: async () => `fresh-${++refreshed}`,
    })
    await expect(send(request)).resolves.toEqual({ ok: true })
    expect(refreshed).toBe(1)
    expect(calls[1]?.headers.get('X-CSRF-Token')).toBe('fresh-1')
    expect(calls[1]?.body).toBe(calls[0]?.body)
  })

  it('a second 403 csrf_failed is not resent again: the sync fails as unauthorized', async () => {
    const { calls, fetch } = recorder([() => csrfFailed(), () => csrfFailed()])
    const send = createHttpTransport({ fetch, csrfToken: async () => 'stale' })
    expect(await failureOf(send(request))).toMatchObject({
      kind: 'unauthorized',
      retryable: false,
      status: 403,
    })
    expect(calls).toHaveLength(2)
  })

  it('a token source that cannot reach the server is a network failure (retryable)', async () => {
    const send = createHttpTransport({
      fetch: (async () => json(200, { ok: true })) as typeof globalThis.fetch,
      isOnline: () => true,
      csrfToken: () => Promise.reject(new TypeError('Failed to fetch')),
    })
    expect(await failureOf(send(request))).toMatchObject({ kind: 'network', retryable: true })
  })
})

describe('http transport: failures classified by error.code (rules E1, E2)', () => {
  it('rule E2: a known code decides the kind, whatever the status says', async () => {
    // A proxy in front may rewrite the status; the server's own code is what the protocol defines.
    const failure = await failureOf(
      transportWith(async () => json(400, { error: { code: 'rate_limited', message: 'Slow down' } }))(
        request,
      ),
    )
    expect(failure).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      status: 400,
      message: 'Slow down',
    })
  })

  it('rule E2: a code this version does not know falls back to the status, keeping the message', async () => {
    const failure = await failureOf(
      transportWith(async () => json(503, { error: { code: 'brand_new_code', message: 'Later' } }))(request),
    )
    expect(failure).toMatchObject({ kind: 'unavailable', retryable: true, message: 'Later' })
  })

  it('rule E1: a body that is not the envelope is ignored; the status and a fallback message do', async () => {
    const failure = await failureOf(
      transportWith(async () => json(500, { error: 'boom', code: 'rate_limited' }))(request),
    )
    expect(failure).toMatchObject({ kind: 'server', retryable: true, status: 500 })
    expect(failure.message).toContain('HTTP 500')
  })

  it('rule E2: each code the server sends gives the kind its status gives (docs/sync-protocol.md, Errors)', () => {
    const sent: [number, string][] = [
      [400, 'invalid_json'],
      [400, 'invalid_body'],
      [400, 'invalid_request'],
      [400, 'invalid'],
      [404, 'not_found'],
      [413, 'payload_too_large'],
      [413, 'too_many_records'],
      [415, 'unsupported_media_type'],
      [409, 'sync_id_reused'],
      [409, 'setup_done'],
      [401, 'unauthenticated'],
      [401, 'invalid_credentials'],
      [401, 'account_mismatch'],
      [403, 'csrf_failed'],
      [403, 'cross_origin'],
      [429, 'rate_limited'],
      [503, 'unavailable'],
      [500, 'internal'],
    ]
    for (const [status, code] of sent)
      expect([code, failureKindOfError(code)]).toEqual([code, failureKindOfStatus(status)])
  })

  it('maps statuses without an envelope as before', () => {
    expect([401, 403, 408, 409, 429, 503, 500, 502, 400, 404, 413].map(failureKindOfStatus)).toEqual([
      'unauthorized',
      'unauthorized',
      'timeout',
      'conflict',
      'rate_limited',
      'unavailable',
      'server',
      'server',
      'bad_request',
      'bad_request',
      'bad_request',
    ])
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('12', now)).toBe(12_000)
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0)
  })
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import { createAuthApi } from './auth-api.ts'
import { currentCsrfToken, forgetCsrfToken, rememberCsrfToken } from './csrf-token.ts'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })

const signedIn = (csrfToken = 'tok') => json(200, { user: { id: 4, email: 'ann@example.com' }, csrfToken })

function api(answers: (() => Response)[], online = true) {
  const calls: { url: string; method: string; headers: Headers; body: unknown }[] = []
  const fetch = (async (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body })
    const answer = answers.shift()
    if (!answer) throw new TypeError('Failed to fetch')
    return answer()
  }) as typeof globalThis.fetch
  return { calls, auth: createAuthApi({ fetch, isOnline: () => online }) }
}

describe('auth api', () => {
  beforeEach(() => forgetCsrfToken())

  it('sign-in posts the credentials and keeps the CSRF token of the answer in memory', async () => {
    const { calls, auth } = api([() => signedIn('abc')])
    const result = await auth.signIn('ann@example.com', 'correct horse')
    expect(result).toEqual({ ok: true, account: { id: 4, email: 'ann@example.com' }, csrfToken: 'abc' })
    expect(calls[0]).toMatchObject({ url: '/api/auth/sign-in', method: 'POST' })
    expect(JSON.parse(String(calls[0]?.body))).toEqual({
      email: 'ann@example.com',
      password: 'correct horse',
    })
    expect(currentCsrfToken()).toBe('abc')
  })

  it('a wrong password, a broken rule, too many attempts and setup_done each read as their own failure', async () => {
    const { auth } = api([
      () => json(401, { error: { code: 'invalid_credentials', message: 'Wrong' } }),
      () =>
        json(400, {
          error: { code: 'invalid', message: 'Bad', details: [{ path: ['password'], message: 'Too short' }] },
        }),
      () => json(429, { error: { code: 'rate_limited', message: 'Slow' } }, { 'Retry-After': '120' }),
      () => json(409, { error: { code: 'setup_done', message: 'Done' } }),
    ])
    expect(await auth.signIn('a@b.c', 'x')).toMatchObject({ ok: false, kind: 'invalid_credentials' })
    expect(await auth.createFirstAccount('a@b.c', 'x')).toMatchObject({
      ok: false,
      kind: 'invalid',
      fieldErrors: { password: 'Too short' },
    })
    const limited = await auth.signIn('a@b.c', 'x')
    expect(limited).toMatchObject({ ok: false, kind: 'rate_limited', retryAfterSeconds: 120 })
    expect(limited.ok ? '' : limited.message).toContain('2 minutes')
    expect(await auth.createFirstAccount('a@b.c', 'x')).toMatchObject({ ok: false, kind: 'setup_done' })
    expect(currentCsrfToken()).toBeNull()
  })

  it('an unreachable server is "offline" or "network", never a wrong password', async () => {
    expect(await api([], false).auth.signIn('a@b.c', 'x')).toMatchObject({ ok: false, kind: 'offline' })
    expect(await api([], true).auth.signIn('a@b.c', 'x')).toMatchObject({ ok: false, kind: 'network' })
  })

  it('session() adopts the session (token kept) and reads 401 as "no session"', async () => {
    const { auth } = api([() => signedIn('s1'), () => json(401, { error: { code: 'unauthenticated' } })])
    expect(await auth.session()).toEqual({ account: { id: 4, email: 'ann@example.com' }, csrfToken: 's1' })
    expect(currentCsrfToken()).toBe('s1')
    expect(await auth.session()).toBeNull()
    expect(currentCsrfToken()).toBeNull()
  })

  it('session() reads a 200 without a user as "no session" (rule A16: the first screen logs no error)', async () => {
    rememberCsrfToken('old')
    const { auth } = api([() => json(200, { user: null, csrfToken: null })])
    expect(await auth.session()).toBeNull()
    expect(currentCsrfToken()).toBeNull()
  })

  it('session() refuses a 200 it does not understand rather than reading it as signed out', async () => {
    const { auth } = api([() => json(200, { user: { id: 'x' }, csrfToken: 1 })])
    await expect(auth.session()).rejects.toThrow(/does not understand/)
  })

  it('sign-out sends the CSRF token, and with a stale one refetches it once', async () => {
    rememberCsrfToken('stale')
    const { calls, auth } = api([
      () => json(403, { error: { code: 'csrf_failed', message: 'Bad token' } }),
      () => signedIn('fresh'),
      () => json(204, null),
    ])
    expect(await auth.signOut()).toEqual({ ok: true })
    expect(
      calls.map((call) => `${call.method} ${call.url} ${call.headers.get('X-CSRF-Token') ?? ''}`),
    ).toEqual(['POST /api/auth/sign-out stale', 'GET /api/auth/session ', 'POST /api/auth/sign-out fresh'])
    expect(currentCsrfToken()).toBeNull()
  })

  it('sign-out without a connection fails and keeps the token: the session is still valid on the server', async () => {
    rememberCsrfToken('tok')
    const result = await api([], false).auth.signOut()
    expect(result).toMatchObject({ ok: false, kind: 'offline' })
    expect(currentCsrfToken()).toBe('tok')
  })
})

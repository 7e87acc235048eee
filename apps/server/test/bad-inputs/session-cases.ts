import { createHash, randomBytes } from 'node:crypto'
import {
  addCompany,
  renameKey,
  type BadInput,
  type CaseContext,
  type HttpCall,
  type SessionCredentials,
} from './bad-input.ts'

/** Every header a signed-in tab sends; `over` replaces some ('' drops one). */
export const sessionHeaders = (who: SessionCredentials, over: Record<string, string> = {}) => ({
  cookie: `sid=${who.token}`,
  'x-csrf-token': who.csrfToken,
  'x-account-id': String(who.userId),
  ...over,
})

const required = <K extends 'me' | 'other' | 'expired' | 'signedOut'>(ctx: CaseContext, key: K) => {
  const who = ctx[key]
  if (!who) throw new Error(`the suite did not create the ${key} session`)
  return who
}

/** A sync that would be applied if the session checks let it through. */
const syncAs = (headers: Record<string, string>): HttpCall => ({ as: 'none', body: addCompany(), headers })

const signIn = (body: unknown, headers: Record<string, string> = {}): HttpCall => ({
  as: 'none',
  path: '/api/auth/sign-in',
  body,
  headers,
})

const UNAUTHENTICATED = /sign in/i
const CSRF = /CSRF|X-CSRF-Token/i

/** Catalogue group L: sessions, CSRF, origins and sign-in (docs/bad-inputs.md #110–#142). */
export const sessionCases: BadInput[] = [
  {
    no: 110,
    title: 'a sync without a session cookie',
    call: () => syncAs({}),
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 111,
    title: 'a forged session cookie (random 256 bits)',
    call: (ctx) =>
      syncAs(sessionHeaders(required(ctx, 'me'), { cookie: `sid=${randomBytes(32).toString('base64url')}` })),
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 112,
    title: 'the SHA-256 of a real token as the cookie (what a database leak yields)',
    call: (ctx) => {
      const me = required(ctx, 'me')
      // The Session table keeps the hex SHA-256 of the token, never the token.
      const hash = createHash('sha256').update(me.token).digest('hex')
      return syncAs(sessionHeaders(me, { cookie: `sid=${hash}` }))
    },
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 113,
    title: 'an expired session',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'expired'))),
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 114,
    title: 'a session that signed out',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'signedOut'))),
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 115,
    title: 'another user’s session cookie with my CSRF token',
    call: (ctx) =>
      syncAs(sessionHeaders(required(ctx, 'other'), { 'x-csrf-token': required(ctx, 'me').csrfToken })),
    status: 403,
    code: 'csrf_failed',
    message: CSRF,
  },
  {
    no: 116,
    title: 'my session without X-CSRF-Token',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'me'), { 'x-csrf-token': '' })),
    status: 403,
    code: 'csrf_failed',
    message: CSRF,
  },
  {
    no: 117,
    title: 'my session with a wrong CSRF token of the right length',
    call: (ctx) => {
      const me = required(ctx, 'me')
      const wrong = me.csrfToken.slice(0, -1) + (me.csrfToken.endsWith('A') ? 'B' : 'A')
      return syncAs(sessionHeaders(me, { 'x-csrf-token': wrong }))
    },
    status: 403,
    code: 'csrf_failed',
    message: CSRF,
  },
  {
    no: 118,
    title: 'my session with another user’s CSRF token',
    call: (ctx) =>
      syncAs(sessionHeaders(required(ctx, 'me'), { 'x-csrf-token': required(ctx, 'other').csrfToken })),
    status: 403,
    code: 'csrf_failed',
    message: CSRF,
  },
  {
    no: 119,
    title: 'a valid session from another site’s page (Origin)',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'me'), { origin: 'https://evil.example' })),
    status: 403,
    code: 'cross_origin',
    message: /origin|site/i,
  },
  {
    no: 120,
    title: 'Origin: null (a sandboxed frame or a file: page)',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'me'), { origin: 'null' })),
    status: 403,
    code: 'cross_origin',
    message: /origin|site/i,
  },
  {
    no: 121,
    title: 'Sec-Fetch-Site: cross-site',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'me'), { 'sec-fetch-site': 'cross-site' })),
    status: 403,
    code: 'cross_origin',
    message: /origin|site/i,
  },
  {
    no: 122,
    title: 'X-Account-Id of another user (a tab of user A with B’s cookie)',
    call: (ctx) =>
      syncAs(sessionHeaders(required(ctx, 'me'), { 'x-account-id': String(required(ctx, 'other').userId) })),
    status: 401,
    code: 'account_mismatch',
    message: /account/i,
  },
  {
    no: 123,
    title: 'X-Account-Id "1 OR 1=1"',
    call: (ctx) => syncAs(sessionHeaders(required(ctx, 'me'), { 'x-account-id': '1 OR 1=1' })),
    status: 401,
    code: 'account_mismatch',
    message: /account/i,
  },
  {
    no: 124,
    title: 'an unknown /api route without a session',
    call: () => ({ as: 'none', method: 'GET', path: '/api/companies' }),
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 125,
    title: 'sign-in with a number for the email',
    call: (ctx) => signIn({ email: 42, password: ctx.password }),
    status: 400,
    code: 'invalid',
    message: /email/i,
    details: [{ path: ['email'] }],
  },
  {
    no: 126,
    title: 'sign-in without a password',
    call: (ctx) => signIn({ email: required(ctx, 'me').email }),
    status: 400,
    code: 'invalid',
    message: /password/i,
    details: [{ path: ['password'] }],
  },
  {
    no: 127,
    title: 'sign-in with a 9-character password',
    call: (ctx) => signIn({ email: required(ctx, 'me').email, password: '123456789' }),
    status: 400,
    code: 'invalid',
    message: /password/i,
    details: [{ path: ['password'] }],
  },
  {
    no: 128,
    title: 'sign-in with a 201-character password',
    call: (ctx) => signIn({ email: required(ctx, 'me').email, password: 'p'.repeat(201) }),
    status: 400,
    code: 'invalid',
    message: /password/i,
    details: [{ path: ['password'] }],
  },
  {
    no: 129,
    title: 'sign-in with an email without @',
    call: (ctx) => signIn({ email: 'admin', password: ctx.password }),
    status: 400,
    code: 'invalid',
    message: /email/i,
    details: [{ path: ['email'] }],
  },
  {
    no: 130,
    title: 'sign-in with a 321-character email',
    call: (ctx) =>
      signIn({ email: `${'a'.repeat(321 - '@example.test'.length)}@example.test`, password: ctx.password }),
    status: 400,
    code: 'invalid',
    message: /email/i,
    details: [{ path: ['email'] }],
  },
  {
    no: 131,
    title: 'sign-in with an unknown email',
    call: (ctx) => signIn({ email: 'nobody@example.test', password: ctx.password }),
    status: 401,
    code: 'invalid_credentials',
    message: /email|password/i,
  },
  {
    no: 132,
    title: 'sign-in with a wrong password',
    call: (ctx) => signIn({ email: required(ctx, 'me').email, password: 'wrong password 1' }),
    status: 401,
    code: 'invalid_credentials',
    message: /email|password/i,
  },
  {
    no: 133,
    title: 'sign-in from another site’s page (Origin)',
    call: (ctx) =>
      signIn(
        { email: required(ctx, 'me').email, password: ctx.password },
        { origin: 'https://evil.example' },
      ),
    status: 403,
    code: 'cross_origin',
    message: /origin|site/i,
  },
  {
    no: 134,
    title: 'setup when an account exists',
    call: () => ({
      as: 'none',
      path: '/api/setup',
      body: { email: 'intruder@example.test', password: 'intruder password' },
    }),
    status: 409,
    code: 'setup_done',
    message: /account|set up/i,
  },
  {
    no: 135,
    title: 'sign-out without the CSRF token (a cross-site logout)',
    call: (ctx) => ({
      as: 'none',
      path: '/api/auth/sign-out',
      headers: sessionHeaders(required(ctx, 'me'), { 'x-csrf-token': '' }),
    }),
    status: 403,
    code: 'csrf_failed',
    message: CSRF,
  },
  {
    no: 136,
    title: 'sign-in as text/plain (a cross-site form post)',
    call: (ctx) => ({
      ...signIn(JSON.stringify({ email: required(ctx, 'me').email, password: ctx.password })),
      headers: { 'content-type': 'text/plain' },
    }),
    status: 415,
    code: 'unsupported_media_type',
    message: /Content-Type: application\/json/,
  },
  {
    no: 137,
    title: 'sign-in with a JSON array',
    call: (ctx) => signIn([required(ctx, 'me').email, ctx.password]),
    status: 400,
    code: 'invalid',
    message: /email or password/,
    details: [{ path: ['email'] }, { path: ['password'] }],
  },
  {
    no: 138,
    title: 'sign-in with the credentials under __proto__',
    call: (ctx) => ({
      ...signIn(undefined),
      body: renameKey(
        { HIDDEN: { email: required(ctx, 'me').email, password: ctx.password } },
        'HIDDEN',
        '__proto__',
      ),
    }),
    status: 400,
    code: 'invalid',
    message: /email or password/,
    details: [{ path: ['email'] }, { path: ['password'] }],
  },
  {
    no: 139,
    title: 'setup with an empty object once an account exists',
    call: () => ({ as: 'none', path: '/api/setup', body: {} }),
    status: 400,
    code: 'invalid',
    message: /email or password/,
    details: [{ path: ['email'] }, { path: ['password'] }],
  },
  {
    no: 140,
    title: 'GET /api/auth/session with a forged cookie',
    call: () => ({
      as: 'none',
      method: 'GET',
      path: '/api/auth/session',
      headers: { cookie: `sid=${randomBytes(32).toString('base64url')}` },
    }),
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
  {
    no: 141,
    title: 'sign-out with another user’s cookie and my CSRF token',
    call: (ctx) => ({
      as: 'none',
      path: '/api/auth/sign-out',
      headers: sessionHeaders(required(ctx, 'other'), { 'x-csrf-token': required(ctx, 'me').csrfToken }),
    }),
    status: 403,
    code: 'csrf_failed',
    message: CSRF,
  },
  {
    no: 142,
    title: 'a forged sid cookie placed before mine (cookie tossing)',
    call: (ctx) => {
      const me = required(ctx, 'me')
      return syncAs(
        sessionHeaders(me, { cookie: `sid=${randomBytes(32).toString('base64url')}; sid=${me.token}` }),
      )
    },
    status: 401,
    code: 'unauthenticated',
    message: UNAUTHENTICATED,
  },
]

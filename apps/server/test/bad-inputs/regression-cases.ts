import { addCompany, type BadInput, type HttpCall } from './bad-input.ts'

/** A sign-in request as a browser tab sends it: no session yet. */
const signIn = (body: unknown): HttpCall => ({ as: 'none', path: '/api/auth/sign-in', body })

/** M. Entries that were 500s or misleading answers when the catalogue was first written; now each is a test. */
export const regressionCases: BadInput[] = [
  {
    no: 143,
    title: 'sign-in with a NUL byte in the email',
    call: () => signIn({ email: 'user\u0000@example.test', password: 'correct horse battery' }),
    status: 400,
    code: 'invalid',
    message: /email or password/,
    details: [{ path: ['email'], message: 'An email address cannot contain control characters' }],
  },
  {
    no: 144,
    title: 'a sync body labelled Content-Encoding: gzip that is not gzip',
    call: () => ({
      body: Buffer.from(JSON.stringify(addCompany())),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    }),
    status: 400,
    code: 'invalid_body',
    message: /could not be read/,
  },
  {
    no: 145,
    title: 'a sign-in body over the sign-in route’s own size limit',
    call: () => signIn({ email: 'user@example.test', password: 'x'.repeat(64 * 1024) }),
    status: 413,
    code: 'payload_too_large',
    // The route's own limit, not the sync's 16 MiB, and no advice about "several syncs".
    message: /^The request body is larger than the \d{4,6} bytes this route accepts$/,
  },
  {
    no: 146,
    title: 'an unknown API route is named with its /api prefix',
    call: () => ({ method: 'GET', path: '/api/nowhere?x=1' }),
    status: 404,
    code: 'not_found',
    message: /^No API route GET \/api\/nowhere$/,
  },
]

import type { BadInput, CaseContext, HttpCall } from './bad-input.ts'
import { sessionHeaders } from './session-cases.ts'

/** A browser on another name, seen through the trusted loopback proxy (fetch cannot set Host itself). */
const rebound = { 'x-forwarded-host': 'attacker.example', origin: 'http://attacker.example' }

const signIn = (ctx: CaseContext, headers: Record<string, string>): HttpCall => ({
  as: 'none',
  path: '/api/auth/sign-in',
  body: { email: ctx.me?.email ?? 'user@example.test', password: 'not the password' },
  headers,
})

/** N. Trust, round 2 (issue 11): hosts, forwarded addresses, receipts of another account. */
export const trustCases: BadInput[] = [
  {
    no: 147,
    title: 'setup from a page on another host name (DNS rebinding)',
    call: (ctx) => ({
      as: 'none',
      path: '/api/setup',
      body: { email: 'attacker@example.test', password: ctx.password ?? 'correct horse battery' },
      headers: rebound,
    }),
    status: 421,
    code: 'forbidden',
    message: /does not serve the host "attacker\.example"/,
  },
  {
    no: 148,
    title: 'sign-in from a page on another host name (DNS rebinding)',
    call: (ctx) => signIn(ctx, rebound),
    status: 421,
    code: 'forbidden',
    message: /does not serve the host "attacker\.example"/,
  },
  {
    no: 149,
    title: 'sign-in with an X-Forwarded-For of 6,000 characters',
    call: (ctx) => signIn(ctx, { 'x-forwarded-for': 'x'.repeat(6000) }),
    status: 401,
    code: 'invalid_credentials',
    message: /Wrong email or password/,
  },
  {
    no: 150,
    title: 'sign-in with an X-Forwarded-For that is a name, not an IP address',
    call: (ctx) => signIn(ctx, { 'x-forwarded-for': 'not-an-ip.example' }),
    status: 401,
    code: 'invalid_credentials',
    message: /Wrong email or password/,
  },
  {
    no: 151,
    title: 'another account resends my applied sync (my deviceId + syncId, same body)',
    call: (ctx) => {
      if (!ctx.other) throw new Error('the suite did not create the other session')
      return { as: 'none', body: ctx.appliedSync, headers: sessionHeaders(ctx.other) }
    },
    status: 409,
    code: 'sync_id_reused',
    message: /already applied with different changes/,
  },
]

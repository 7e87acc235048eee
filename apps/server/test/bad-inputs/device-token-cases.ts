import { randomBytes } from 'node:crypto'
import type { BadInput, CaseContext, HttpCall } from './bad-input.ts'

/** A far expiry (year 2100), so only the MAC can make these tokens fail. */
const FAR = 4_102_444_800

const mac = () => randomBytes(32).toString('base64url')
const nonce = () => randomBytes(16).toString('base64url')

/** A sign-in as `me` with a wrong password and the given device cookie: the answer must be the plain 401. */
const signInWith = (ctx: CaseContext, cookie: string): HttpCall => ({
  as: 'none',
  path: '/api/auth/sign-in',
  body: { email: ctx.me?.email ?? 'user@example.test', password: 'not the password' },
  headers: { cookie },
})

const WRONG = /Wrong email or password/

/** Q. Device tokens (issue 16, rules A12–A14): a tampered `did` cookie opens nothing and breaks nothing. */
export const deviceTokenCases: BadInput[] = [
  {
    no: 190,
    title: 'sign-in with a forged device token: my account id, a far expiry, a random MAC',
    call: (ctx) => signInWith(ctx, `did=${ctx.me?.userId ?? 1}.${FAR}.${nonce()}.${mac()}`),
    status: 401,
    code: 'invalid_credentials',
    message: WRONG,
  },
  {
    no: 191,
    title: 'sign-in with a device cookie that is not a token (5,000 characters, a NUL escape, a negative id)',
    call: (ctx) => signInWith(ctx, `did=${'A'.repeat(5000)}; did=%00; did=-1.${FAR}.${nonce()}.${mac()}`),
    status: 401,
    code: 'invalid_credentials',
    message: WRONG,
  },
  {
    no: 192,
    title: 'sign-in with a device token whose account id is past 2³¹ (an integer the database cannot hold)',
    call: (ctx) => signInWith(ctx, `did=9999999999.${FAR}.${nonce()}.${mac()}`),
    status: 401,
    code: 'invalid_credentials',
    message: WRONG,
  },
]

import { Router, json, type Request, type RequestHandler, type Response } from 'express'
import type { SqlDatabase } from '@offline-sync/sync-server'
import { HttpError } from '../http/http-error.ts'
import { clientAddress } from '../http/client-address.ts'
import { createAccountStore, type User } from './account-store.ts'
import { parseCredentials, type Credentials } from './credentials.ts'
import {
  lookUpSession,
  rateLimited,
  requireCsrf,
  requireSession,
  sessionOf,
  unauthenticated,
} from './guards.ts'
import { DEFAULT_SCRYPT_N, hashPassword, verifyPassword } from './password-hash.ts'
import { busy, createHashGate, type HashingLimits } from './hash-gate.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { RateLimits } from './rate-limits.ts'
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts'
import type { SessionStore } from './session-store.ts'

export interface AuthRouteDeps {
  db: SqlDatabase
  sessions: SessionStore
  limiter: RateLimiter
  rateLimits: RateLimits
  /** scrypt cost for new hashes (tests lower it; stored hashes carry their own). */
  scryptN?: number
  /** How many password hashes run at once and how many sign-ins may wait for one (hash-gate.ts). */
  hashing: HashingLimits
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json'))
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as Content-Type: application/json')
  next()
}

/** Runs `hash` unless the client hung up while it waited in the queue: nobody would hear the answer. */
function unlessGone<T>(req: Request, hash: () => Promise<T>): Promise<T> {
  return req.socket.destroyed ? Promise.reject(busy()) : hash()
}

/** Setup, sign-in, session and sign-out (the contract in docs/sync-protocol.md, "Accounts and sessions"). */
export function authRoutes(deps: AuthRouteDeps): Router {
  const { sessions, limiter, rateLimits } = deps
  const accounts = createAccountStore(deps.db)
  const scryptN = deps.scryptN ?? DEFAULT_SCRYPT_N
  // Unknown emails are checked against this, so they take as long as a wrong password and reveal nothing. Made at
  // start, so the first unknown email is not slower than later ones.
  const dummyHash = hashPassword('not the password of anyone', scryptN)
  dummyHash.catch(() => {})
  const body = [requireJson, json({ limit: '16kb', strict: true })]

  const gate = createHashGate(deps.hashing)

  /**
   * Admission, cheapest refusal first: a full hashing queue (no database query), then the rate limits (one query
   * each), and only then the hash. Setup counts as sign-in: both guess passwords or race for the first account.
   */
  async function admitSignIn(req: Request, email: string) {
    if (gate.full()) throw busy()
    const ip = clientAddress(req)
    // Promise.all, not two awaits in turn: when one check throws (a 429, the database down), the other's
    // rejection must still have a handler, or Node ends the process (issue 11).
    const results = await Promise.all([
      limiter.check(`sign-in:${email}:${ip}`, rateLimits.signIn),
      limiter.check(`sign-in-ip:${ip}`, rateLimits.signInIp),
    ])
    for (const result of results) if (!result.ok) throw rateLimited(result.retryAfterSeconds)
  }

  async function startSession(req: Request, res: Response, user: User, status: number) {
    const { token, csrfToken } = await sessions.create(user.id)
    setSessionCookie(req, res, token)
    res.status(status).set('Cache-Control', 'no-store').json({ user, csrfToken })
  }

  const router = Router()

  router.get('/api/setup', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ needed: !(await accounts.hasAny()) })
  })

  router.post('/api/setup', ...body, async (req, res) => {
    const credentials: Credentials = parseCredentials(req.body)
    await admitSignIn(req, credentials.email)
    const setupDone = () =>
      new HttpError(409, 'setup_done', 'The first account exists already; sign in instead')
    if (await accounts.hasAny()) throw setupDone()
    const passwordHash = await gate.run(() =>
      unlessGone(req, () => hashPassword(credentials.password, scryptN)),
    )
    const user = await accounts.createFirst(credentials.email, passwordHash)
    if (!user) throw setupDone()
    await startSession(req, res, user, 201)
  })

  router.post('/api/auth/sign-in', ...body, async (req, res) => {
    const { email, password } = parseCredentials(req.body)
    await admitSignIn(req, email)
    const stored = await accounts.findByEmail(email)
    const against = stored?.passwordHash ?? (await dummyHash)
    const ok = await gate.run(() => unlessGone(req, () => verifyPassword(password, against)))
    if (!stored || !ok) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password')
    await startSession(req, res, { id: stored.id, email: stored.email }, 200)
  })

  router.get('/api/auth/session', async (req, res) => {
    const session = await lookUpSession(sessions, req, res)
    if (!session) throw unauthenticated()
    res.set('Cache-Control', 'no-store').json({ user: session.user, csrfToken: session.csrfToken })
  })

  router.post('/api/auth/sign-out', requireSession(sessions), requireCsrf, async (req, res) => {
    await sessions.delete(sessionOf(res).tokenHash)
    clearSessionCookie(req, res)
    res.status(204).end()
  })

  return router
}

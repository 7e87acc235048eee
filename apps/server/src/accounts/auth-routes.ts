import { Router, json, type Request, type RequestHandler, type Response } from 'express'
import type { SqlDatabase } from '@offline-sync/sync-server'
import { HttpError } from '../http/http-error.ts'
import { clientAddress } from '../http/client-address.ts'
import { createAccountStore, type StoredUser } from './account-store.ts'
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
import { busy, createSignInLanes, type HashGate, type HashingLimits, type SignInLanes } from './hash-gate.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { RateLimits } from './rate-limits.ts'
import {
  deviceTokenKey,
  readDeviceCookie,
  setDeviceCookie,
  signDeviceToken,
  verifyDeviceToken,
  type PresentedDeviceToken,
} from './device-token.ts'
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.ts'
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
  /** The gates themselves, instead of new ones built from `hashing`: tests hold a slot busy through them. */
  lanes?: SignInLanes
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

  const lanes = deps.lanes ?? createSignInLanes(deps.hashing)

  /**
   * Admission, cheapest refusal first: a full hashing queue (no database query), then the rate limits (one query
   * each), and only then the hash. Setup counts as sign-in: both guess passwords or race for the first account.
   * A sign-in with a valid device token for its email (rule A13) skips the full-queue refusal and the per-IP limit
   * and gets the device lane, while its token has tries left (A14); the per-(email, IP) limit counts it as any other.
   * Answers the gate that is to run the hash.
   */
  async function admitSignIn(req: Request, email: string, device?: PresentedDeviceToken): Promise<HashGate> {
    const ip = clientAddress(req)
    const pairKey = `sign-in:${email}:${ip}`
    if (device) {
      // Counted before the hash, right password or wrong: concurrent guesses through one token cannot race past it.
      const [pair, token] = await Promise.all([
        limiter.check(pairKey, rateLimits.signIn),
        limiter.check(deviceTokenKey(device), rateLimits.signInDevice),
      ])
      if (!pair.ok) throw rateLimited(pair.retryAfterSeconds)
      // The lane taken (a second tab, a team at the same door): the anonymous gate, still without the per-IP limit.
      if (token.ok) return lanes.device.full() ? lanes.anonymous : lanes.device
      // A token out of tries is worth nothing until its window ends: the anonymous way, per-IP limit included.
    }
    if (lanes.anonymous.full()) throw busy()
    // Promise.all, not two awaits in turn: when one check throws (a 429, the database down), the other's
    // rejection must still have a handler, or Node ends the process (issue 11).
    const results = await Promise.all([
      device ? ({ ok: true } as const) : limiter.check(pairKey, rateLimits.signIn),
      limiter.check(`sign-in-ip:${ip}`, rateLimits.signInIp),
    ])
    for (const result of results) if (!result.ok) throw rateLimited(result.retryAfterSeconds)
    return lanes.anonymous
  }

  /** A session, and a fresh device token (rule A12): the next sign-in from this browser is a returning one. */
  async function startSession(req: Request, res: Response, user: StoredUser, status: number) {
    const { token, csrfToken } = await sessions.create(user.id)
    setSessionCookie(req, res, token)
    setDeviceCookie(req, res, signDeviceToken(user))
    res
      .status(status)
      .set('Cache-Control', 'no-store')
      .json({ user: { id: user.id, email: user.email }, csrfToken })
  }

  const router = Router()

  router.get('/api/setup', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ needed: !(await accounts.hasAny()) })
  })

  router.post('/api/setup', ...body, async (req, res) => {
    const credentials: Credentials = parseCredentials(req.body)
    const lane = await admitSignIn(req, credentials.email)
    const setupDone = () =>
      new HttpError(409, 'setup_done', 'The first account exists already; sign in instead')
    if (await accounts.hasAny()) throw setupDone()
    const passwordHash = await lane.run(() =>
      unlessGone(req, () => hashPassword(credentials.password, scryptN)),
    )
    const user = await accounts.createFirst(credentials.email, passwordHash)
    if (!user) throw setupDone()
    await startSession(req, res, { ...user, passwordHash }, 201)
  })

  router.post('/api/auth/sign-in', ...body, async (req, res) => {
    const { email, password } = parseCredentials(req.body)
    const presented = readDeviceCookie(req)
    // Only a cookie of a token's shape costs this look-up before admission: a token is checked against the row.
    let stored = presented ? await accounts.findByEmail(email) : undefined
    const device = presented && stored && verifyDeviceToken(presented, stored) ? presented : undefined
    const lane = await admitSignIn(req, email, device)
    if (stored === undefined) stored = await accounts.findByEmail(email)
    const against = stored?.passwordHash ?? (await dummyHash)
    const ok = await lane.run(() => unlessGone(req, () => verifyPassword(password, against)))
    if (!stored || !ok) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password')
    await startSession(req, res, stored, 200)
  })

  router.get('/api/auth/session', async (req, res) => {
    res.set('Cache-Control', 'no-store')
    // No cookie at all is the ordinary state of a first screen, not a failure (rule A16): a 401 there is logged by
    // the browser as a console error on every setup and sign-in screen. A cookie that names no live session is
    // still 401, since the app holds a session it has to drop.
    if (!readSessionCookie(req)) {
      res.json({ user: null, csrfToken: null })
      return
    }
    const session = await lookUpSession(sessions, req, res)
    if (!session) throw unauthenticated()
    res.json({ user: session.user, csrfToken: session.csrfToken })
  })

  router.post('/api/auth/sign-out', requireSession(sessions), requireCsrf, async (req, res) => {
    await sessions.delete(sessionOf(res).tokenHash)
    // The device cookie stays (rule A15): it opens nothing but the lane, and the next sign-in is when it is needed.
    clearSessionCookie(req, res)
    res.status(204).end()
  })

  return router
}

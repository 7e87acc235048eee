import { timingSafeEqual } from 'node:crypto'
import type { Request, RequestHandler, Response } from 'express'
import { HttpError } from '../http/http-error.ts'
import type { RateLimit, RateLimiter } from './rate-limiter.ts'
import { readSessionCookie, setSessionCookie } from './session-cookie.ts'
import type { Session, SessionStore } from './session-store.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export const unauthenticated = () =>
  new HttpError(401, 'unauthenticated', 'Sign in to continue: this request has no valid session')

/** The session `requireSession` found for this request. */
export function sessionOf(res: Response): Session {
  const session = res.locals.session as Session | undefined
  if (!session) throw unauthenticated()
  return session
}

/** Resolves the cookie's session (null without a live one), resending the cookie when its expiry slid. */
export async function lookUpSession(sessions: SessionStore, req: Request, res: Response) {
  const token = readSessionCookie(req)
  if (!token) return null
  const session = await sessions.resolve(token)
  if (session?.extended) setSessionCookie(req, res, token)
  return session
}

/** 401 `unauthenticated` without a live session; otherwise stores it in res.locals.session. */
export function requireSession(sessions: SessionStore): RequestHandler {
  return async (req, res, next) => {
    const session = await lookUpSession(sessions, req, res)
    if (!session) throw unauthenticated()
    res.locals.session = session
    next()
  }
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Synchronizer token: unsafe methods must echo the session's token in X-CSRF-Token. After requireSession. */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (!UNSAFE.has(req.method)) return next()
  const sent = req.get('x-csrf-token')
  if (!sent || !sameSecret(sent, sessionOf(res).csrfToken))
    throw new HttpError(
      403,
      'csrf_failed',
      'Missing or wrong X-CSRF-Token header; fetch /api/auth/session for it',
    )
  next()
}

/**
 * Refuses unsafe requests another site makes the browser send: a present Origin other than our own, or
 * Sec-Fetch-Site: cross-site. Covers sign-in and setup too, which have no session (and so no CSRF token) yet.
 */
export const sameOriginOnly: RequestHandler = (req, _res, next) => {
  if (!UNSAFE.has(req.method)) return next()
  const origin = req.get('origin')
  const own = `${req.protocol}://${req.get('host') ?? ''}`
  if ((origin !== undefined && origin !== own) || req.get('sec-fetch-site') === 'cross-site')
    throw new HttpError(403, 'cross_origin', 'Requests from another site are refused')
  next()
}

/** A tab of account A must never send A's changes with B's cookie. After requireSession. */
export const requireSameAccount: RequestHandler = (req, res, next) => {
  const claimed = req.get('x-account-id')
  const { user } = sessionOf(res)
  if (claimed !== undefined && claimed !== String(user.id))
    throw new HttpError(
      401,
      'account_mismatch',
      `This request is for account ${claimed} but the session belongs to another account; sign in as that account`,
    )
  next()
}

export const rateLimited = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    'rate_limited',
    `Too many requests; try again in ${retryAfterSeconds} seconds`,
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  )

/** Counts the request against `key(req, res)`; 429 with Retry-After beyond the limit. */
export function rateLimit(
  limiter: RateLimiter,
  limit: RateLimit,
  key: (req: Request, res: Response) => string,
): RequestHandler {
  return async (req, res, next) => {
    const result = await limiter.check(key(req, res), limit)
    if (!result.ok) throw rateLimited(result.retryAfterSeconds)
    next()
  }
}

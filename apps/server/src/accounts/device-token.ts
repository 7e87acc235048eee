import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Request, Response } from 'express'
import type { StoredUser } from './account-store.ts'

/** The cookie that tells a returning browser from the flood (rules A12–A15; decision 024). */
export const DEVICE_COOKIE = 'did'
/** Sent to the sign-in route only: no other request carries it, so no other log or handler ever sees it. */
export const DEVICE_COOKIE_PATH = '/api/auth/sign-in'
/** Longer than a session (30 days from the last use), so a person whose session lapsed still comes back known. */
export const DEVICE_TOKEN_DAYS = 180

const DAY_SECONDS = 24 * 60 * 60
const NONCE_BYTES = 16
/** `<user id>.<expiry, unix seconds>.<nonce>.<mac>`: digits, digits, 22 and 43 base64url characters. */
const TOKEN_SHAPE = /^([1-9][0-9]{0,9})\.([1-9][0-9]{0,10})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/** A device cookie that has the right shape; nothing about it is trusted until `verifyDeviceToken` says so. */
export interface PresentedDeviceToken {
  userId: number
  expiresAt: number
  nonce: string
  mac: string
}

/**
 * The MAC is keyed with the account's stored password hash: every server instance can check it with the row it reads
 * anyway, no key needs configuring or storing, and a password change (a new hash) voids every device token of the
 * account at once.
 */
const macOf = (user: StoredUser, expiresAt: number, nonce: string) =>
  createHmac('sha256', user.passwordHash)
    .update(`device-token:v1:${user.id}:${expiresAt}:${nonce}`)
    .digest('base64url')

/** A fresh token for `user`, valid `days` from `now` (ms). */
export function signDeviceToken(user: StoredUser, now = Date.now(), days = DEVICE_TOKEN_DAYS): string {
  const expiresAt = Math.floor(now / 1000) + days * DAY_SECONDS
  const nonce = randomBytes(NONCE_BYTES).toString('base64url')
  return `${user.id}.${expiresAt}.${nonce}.${macOf(user, expiresAt, nonce)}`
}

/** The `did` cookie's value when it has a token's shape; undefined for none, or anything else (tampered, truncated). */
export function readDeviceCookie(req: Request): PresentedDeviceToken | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0 || part.slice(0, eq).trim() !== DEVICE_COOKIE) continue
    const match = TOKEN_SHAPE.exec(part.slice(eq + 1).trim())
    if (!match) return undefined
    return { userId: Number(match[1]), expiresAt: Number(match[2]), nonce: match[3]!, mac: match[4]! }
  }
  return undefined
}

/**
 * True when the token was signed for this very account (the one whose email is signing in) and has not expired.
 * Another account's token, a forged or altered one, and one signed before a password change are all false.
 */
export function verifyDeviceToken(token: PresentedDeviceToken, user: StoredUser, now = Date.now()): boolean {
  if (token.userId !== user.id || token.expiresAt * 1000 <= now) return false
  const expected = Buffer.from(macOf(user, token.expiresAt, token.nonce))
  const sent = Buffer.from(token.mac)
  return expected.length === sent.length && timingSafeEqual(expected, sent)
}

/** The rate-limit key a token's sign-in attempts count against (rule A14). */
export const deviceTokenKey = (token: PresentedDeviceToken) => `sign-in-device:${token.nonce}`

/** Set on every successful sign-in and setup; sign-out leaves it (rule A15). */
export function setDeviceCookie(req: Request, res: Response, token: string): void {
  res.cookie(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: DEVICE_COOKIE_PATH,
    secure: req.secure,
    maxAge: DEVICE_TOKEN_DAYS * DAY_SECONDS * 1000,
  })
}

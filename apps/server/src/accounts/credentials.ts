import { HttpError } from '../http/http-error.ts'

export interface Credentials {
  email: string
  password: string
}

export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 200
const EMAIL_MAX = 320

type Problem = { path: ['email' | 'password']; message: string }

/** The problems with an email, or [] when it is usable. Expects the normalised (trimmed, lower-cased) form. */
export function emailProblems(email: string): Problem[] {
  if (email.length > EMAIL_MAX) return [{ path: ['email'], message: `At most ${EMAIL_MAX} characters` }]
  // Control characters (NUL above all, which Postgres text refuses) never belong in an address.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(email))
    return [{ path: ['email'], message: 'An email address cannot contain control characters' }]
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    return [{ path: ['email'], message: 'Enter an email address like name@example.com' }]
  return []
}

export function passwordProblems(password: string): Problem[] {
  if (password.length < PASSWORD_MIN)
    return [{ path: ['password'], message: `At least ${PASSWORD_MIN} characters` }]
  if (password.length > PASSWORD_MAX)
    return [{ path: ['password'], message: `At most ${PASSWORD_MAX} characters` }]
  return []
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase()

/** Reads `{ email, password }` from a request body; throws 400 `invalid` with one detail per bad field. */
export function parseCredentials(body: unknown): Credentials {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}
  const { email, password } = record as Record<string, unknown>
  const problems: Problem[] = []
  if (typeof email !== 'string') problems.push({ path: ['email'], message: 'Required, as a string' })
  else problems.push(...emailProblems(normaliseEmail(email)))
  if (typeof password !== 'string') problems.push({ path: ['password'], message: 'Required, as a string' })
  else problems.push(...passwordProblems(password))
  if (problems.length > 0)
    throw new HttpError(400, 'invalid', 'The email or password is not acceptable', problems)
  return { email: normaliseEmail(email as string), password: password as string }
}

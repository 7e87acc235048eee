/**
 * The session's CSRF token, in memory only (never in storage: a token that outlives the page is a token that can
 * leak). Sign-in and session answers set it; the transport asks for it before each unsafe request.
 */
let token: string | null = null

export function rememberCsrfToken(value: string): void {
  token = value
}

export function forgetCsrfToken(): void {
  token = null
}

export function currentCsrfToken(): string | null {
  return token
}

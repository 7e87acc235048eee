/** The contract's rules, checked before sending so most mistakes are explained without a round trip. */
export const EMAIL_MAX = 320
export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 200

export interface CredentialErrors {
  email?: string
  password?: string
}

/**
 * Per-field messages, empty when the form can be sent. A new password must meet the length rule; a password being
 * signed in with only has to be there (the server judges it, with the same answer for every wrong one).
 */
export function checkCredentials(
  values: { email: string; password: string },
  mode: 'sign-in' | 'setup',
): CredentialErrors {
  const errors: CredentialErrors = {}
  const email = values.email.trim()
  if (email === '') errors.email = 'Enter your email address.'
  else if (email.length > EMAIL_MAX) errors.email = `An email address has at most ${EMAIL_MAX} characters.`
  else if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.com.'

  if (values.password === '') errors.password = 'Enter your password.'
  else if (mode === 'setup' && values.password.length < PASSWORD_MIN)
    errors.password = `Use at least ${PASSWORD_MIN} characters.`
  else if (values.password.length > PASSWORD_MAX)
    errors.password = `A password has at most ${PASSWORD_MAX} characters.`
  return errors
}

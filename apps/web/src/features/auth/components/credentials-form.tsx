import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { Account } from '../../../lib/account/stored-account.ts'
import type { AuthResult } from '../../../lib/account/auth-api.ts'
import { checkCredentials, PASSWORD_MAX, type CredentialErrors } from '../api/check-credentials.ts'

export interface CredentialsFormProps {
  mode: 'sign-in' | 'setup'
  submitLabel: string
  /** Pre-filled email, e.g. the account whose session ended. */
  initialEmail?: string
  send: (email: string, password: string) => Promise<AuthResult>
  onSignedIn: (account: Account) => void
  /** Shown above the fields, tied to the form by aria-describedby (e.g. "a first sign-in needs a connection"). */
  note?: string
  /** Buttons next to submit, e.g. Cancel in a dialog. */
  extraActions?: ReactNode
}

/**
 * Email and password, with per-field errors announced with their input (aria-invalid + aria-describedby) and one
 * form-level error (wrong password, too many attempts, offline) in an alert. Focus goes to what needs fixing.
 */
export function CredentialsForm({
  mode,
  submitLabel,
  initialEmail,
  send,
  onSignedIn,
  note,
  extraActions,
}: CredentialsFormProps) {
  const id = useId()
  const [email, setEmail] = useState(initialEmail ?? '')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<CredentialErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const emailRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)
  const formErrorRef = useRef<HTMLParagraphElement>(null)

  const ids = {
    email: `${id}-email`,
    password: `${id}-password`,
    emailError: `${id}-email-error`,
    passwordError: `${id}-password-error`,
    passwordHint: `${id}-password-hint`,
    formError: `${id}-form-error`,
    note: `${id}-note`,
  }

  function focusProblem(found: CredentialErrors) {
    if (found.email) emailRef.current?.focus()
    else if (found.password) passwordRef.current?.focus()
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (sending) return
    const found = checkCredentials({ email, password }, mode)
    setErrors(found)
    setFormError(null)
    if (found.email || found.password) {
      focusProblem(found)
      return
    }
    setSending(true)
    const result = await send(email.trim(), password)
    setSending(false)
    if (result.ok) {
      onSignedIn(result.account)
      return
    }
    setErrors(result.fieldErrors)
    if (result.fieldErrors.email || result.fieldErrors.password) {
      focusProblem(result.fieldErrors)
      return
    }
    setFormError(result.message)
    // The wrong password is the usual case: clear it and put the cursor back there.
    if (result.kind === 'invalid_credentials') {
      setPassword('')
      passwordRef.current?.focus()
    } else {
      formErrorRef.current?.focus()
    }
  }

  const describedBy = (...candidates: (string | false | null | undefined)[]) =>
    candidates.filter(Boolean).join(' ') || undefined

  return (
    <form
      className="auth-form"
      noValidate
      onSubmit={(event) => void onSubmit(event)}
      aria-describedby={describedBy(note && ids.note, formError && ids.formError)}
      data-testid="auth-form"
      data-mode={mode}
    >
      {note ? (
        <p id={ids.note} className="auth-form__note" data-testid="auth-note">
          {note}
        </p>
      ) : null}
      {formError ? (
        <p
          id={ids.formError}
          ref={formErrorRef}
          className="form-error"
          role="alert"
          tabIndex={-1}
          data-testid="auth-error"
        >
          {formError}
        </p>
      ) : null}
      <div className={errors.email ? 'field field--invalid' : 'field'}>
        <label htmlFor={ids.email} className="field__label">
          Email
        </label>
        <input
          ref={emailRef}
          id={ids.email}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy(errors.email && ids.emailError)}
          data-testid="auth-email"
        />
        {errors.email ? (
          <p id={ids.emailError} className="field__error" data-testid="auth-error-email">
            {errors.email}
          </p>
        ) : null}
      </div>
      <div className={errors.password ? 'field field--invalid' : 'field'}>
        <label htmlFor={ids.password} className="field__label">
          Password
        </label>
        <input
          ref={passwordRef}
          id={ids.password}
          name="password"
          type="password"
          autoComplete={mode === 'setup' ? 'new-password' : 'current-password'}
          required
          maxLength={PASSWORD_MAX}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={describedBy(
            errors.password && ids.passwordError,
            mode === 'setup' && ids.passwordHint,
          )}
          data-testid="auth-password"
        />
        {mode === 'setup' ? (
          <p id={ids.passwordHint} className="field__hint">
            At least 10 characters.
          </p>
        ) : null}
        {errors.password ? (
          <p id={ids.passwordError} className="field__error" data-testid="auth-error-password">
            {errors.password}
          </p>
        ) : null}
      </div>
      <div className="form-actions">
        {extraActions}
        <button type="submit" className="button button--primary" disabled={sending} data-testid="auth-submit">
          {sending ? 'Please wait…' : submitLabel}
        </button>
      </div>
    </form>
  )
}

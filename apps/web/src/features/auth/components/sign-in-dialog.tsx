import { useEffect, useId, useRef } from 'react'
import { authApi } from '../../../lib/account/auth-api.ts'
import type { Account } from '../../../lib/account/stored-account.ts'
import { CredentialsForm } from './credentials-form.tsx'

export interface SignInDialogProps {
  /** The account whose data is open: the email is pre-filled and signing in as it resumes syncing. */
  account: Account
  onSignedIn: (account: Account) => void
  onCancel: () => void
}

/**
 * Sign in again without leaving the screen (the session ended while the app was open). A native modal <dialog>:
 * focus is trapped, Escape cancels, focus returns to the opener.
 */
export function SignInDialog({ account, onSignedIn, onCancel }: SignInDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()

  useEffect(() => {
    const dialog = ref.current
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (dialog && !dialog.open) dialog.showModal()
    // The email is known: the password is what is left to type.
    dialog?.querySelector<HTMLInputElement>('input[type="password"]')?.focus()
    return () => {
      if (dialog?.open) dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      data-testid="sign-in-dialog"
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      <h2 id={`${id}-title`} className="dialog__title">
        Sign in again
      </h2>
      <CredentialsForm
        mode="sign-in"
        submitLabel="Sign in"
        initialEmail={account.email}
        note="Your changes are kept on this device and sync once you are signed in."
        send={(email, password) => authApi.signIn(email, password)}
        onSignedIn={onSignedIn}
        extraActions={
          <button type="button" className="button" onClick={onCancel} data-testid="sign-in-cancel">
            Cancel
          </button>
        }
      />
    </dialog>
  )
}

import { useId } from 'react'
import { useModalDialog } from '../../../components/use-modal-dialog.ts'
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
  // The email is known: the password is what is left to type.
  const ref = useModalDialog('input[type="password"]')
  const id = useId()

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

import { useEffect, useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { account, queries } from '../../../lib/db.ts'
import { authApi } from '../../../lib/account/auth-api.ts'
import { clearStoredAccount, storeAccount, type Account } from '../../../lib/account/stored-account.ts'
import { announceSignedInAgain, onSignInRequested } from '../../../lib/account/sign-in-requests.ts'
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx'
import { SignInDialog } from './sign-in-dialog.tsx'
import { formatNumber } from '../../../lib/format/locale-format.ts'

/**
 * In the header: who is signed in, and Sign out. Also hosts the "sign in again" dialog the sync bar asks for.
 * Signing in as the same account resumes syncing at once; as another account, that account's own local data opens
 * (store it, reload), and this one's unsent changes wait on the device for their owner.
 */
export function AccountMenu() {
  const pending = useLiveQuery(() => queries.pendingCount(), []) ?? 0
  const [confirming, setConfirming] = useState(false)
  const [signingIn, setSigningIn] = useState(false)
  const [signingOut, setSigningOut] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => onSignInRequested(() => setSigningIn(true)), [])

  async function signOut() {
    setConfirming(false)
    setSigningOut(true)
    setError(null)
    const result = await authApi.signOut()
    if (!result.ok) {
      setSigningOut(false)
      setError(result.message)
      return
    }
    clearStoredAccount()
    // A fresh start shows the sign-in screen, with nothing of this account left in memory.
    window.location.assign('/')
  }

  function onSignedIn(next: Account) {
    setSigningIn(false)
    storeAccount(next)
    if (next.id === account.id) announceSignedInAgain()
    else window.location.reload()
  }

  return (
    <div className="account-menu" data-testid="account-menu">
      <span className="account-menu__email" data-testid="account-email">
        <span className="visually-hidden">Signed in as </span>
        {account.email}
      </span>
      <button
        type="button"
        className="button account-menu__sign-out"
        disabled={signingOut}
        onClick={() => (pending > 0 ? setConfirming(true) : void signOut())}
        data-testid="sign-out-button"
      >
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
      {error ? (
        <p className="account-menu__error" role="alert" data-testid="sign-out-error">
          {error}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Sign out with unsent changes?"
        confirmLabel="Sign out"
        onConfirm={() => void signOut()}
        onCancel={() => setConfirming(false)}
        testId="confirm-sign-out"
      >
        <p>
          {pending === 1 ? '1 change has' : `${formatNumber(pending)} changes have`} not been sent to the
          server. They stay on this device, unsent, until {account.email} signs in here again.
        </p>
      </ConfirmDialog>
      {signingIn ? (
        <SignInDialog account={account} onSignedIn={onSignedIn} onCancel={() => setSigningIn(false)} />
      ) : null}
    </div>
  )
}

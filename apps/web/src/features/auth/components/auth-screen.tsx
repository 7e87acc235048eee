import { useEffect, useState } from 'react'
import { authApi } from '../../../lib/account/auth-api.ts'
import type { Account } from '../../../lib/account/stored-account.ts'
import type { StartupScreen } from '../../../lib/account/startup.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { CredentialsForm } from './credentials-form.tsx'

export interface AuthScreenProps {
  initial: Exclude<StartupScreen, { screen: 'app' }>
  onSignedIn: (account: Account) => void
}

const NOTES = {
  offline: 'You are offline. Signing in for the first time on this device needs a connection.',
  unreachable: 'The server could not be reached. Signing in needs a connection to it.',
} as const

/**
 * The screen before any account's data is open: the setup of the first account on a new server, or the sign-in.
 * A page of its own (skip link, header, main with the h1), so it reads like every other screen.
 */
export function AuthScreen({ initial, onSignedIn }: AuthScreenProps) {
  const [screen, setScreen] = useState(initial.screen)
  const [reason, setReason] = useState(initial.screen === 'sign-in' ? initial.reason : undefined)
  const setup = screen === 'setup'
  useDocumentTitle(setup ? 'Create the first account' : 'Sign in')

  // The offline note is stale the moment the connection comes back.
  useEffect(() => {
    const clear = () => setReason(undefined)
    window.addEventListener('online', clear)
    return () => window.removeEventListener('online', clear)
  }, [])

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="app-header__brand">Companies &amp; Contacts</span>
      </header>
      <main
        id="main"
        className="app-main auth-screen"
        tabIndex={-1}
        data-testid="auth-screen"
        data-screen={screen}
      >
        <div className="page-heading">
          <h1>{setup ? 'Create the first account' : 'Sign in'}</h1>
        </div>
        {setup ? (
          <p className="lead">
            This server has no account yet. The account you create here signs in on every device; add more
            later with <code>npm run user:create</code>.
          </p>
        ) : null}
        <CredentialsForm
          mode={setup ? 'setup' : 'sign-in'}
          submitLabel={setup ? 'Create account' : 'Sign in'}
          {...(reason ? { note: NOTES[reason] } : {})}
          send={async (email, password) => {
            const result = setup
              ? await authApi.createFirstAccount(email, password)
              : await authApi.signIn(email, password)
            // Someone else created the first account meanwhile: this is now a sign-in.
            if (!result.ok && result.kind === 'setup_done') setScreen('sign-in')
            return result
          }}
          onSignedIn={onSignedIn}
        />
      </main>
    </>
  )
}

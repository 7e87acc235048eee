import type { Account } from './stored-account.ts'

/** What the app shows first. */
export type StartupScreen =
  | { screen: 'app'; account: Account }
  | { screen: 'setup' }
  /** `reason` says why a sign-in cannot be expected to work right now, when that is the case. */
  | { screen: 'sign-in'; reason?: 'offline' | 'unreachable' }

export interface StartupEnvironment {
  storedAccount: () => Account | null
  isOnline: () => boolean
  /** The signed-in account (GET /api/auth/session), null without a session; throws when unreachable. */
  session: () => Promise<{ account: Account } | null>
  /** GET /api/setup; throws when unreachable. */
  setupNeeded: () => Promise<boolean>
}

/**
 * The contract's startup rule. A stored account opens its local data at once, online or not and whatever the
 * session state: the person's work must never wait on the network. Without one, the server decides: the setup
 * screen while it has no account yet, else an existing session is adopted, else the sign-in screen. Setup is asked
 * first: before any account exists there can be no session, and asking for one would be answered 401, which the
 * browser logs as an error on the very first screen (Lighthouse best practices).
 */
export async function decideStartup(env: StartupEnvironment): Promise<StartupScreen> {
  const stored = env.storedAccount()
  if (stored) return { screen: 'app', account: stored }
  if (!env.isOnline()) return { screen: 'sign-in', reason: 'offline' }
  try {
    if (await env.setupNeeded()) return { screen: 'setup' }
    const session = await env.session()
    return session ? { screen: 'app', account: session.account } : { screen: 'sign-in' }
  } catch {
    return { screen: 'sign-in', reason: 'unreachable' }
  }
}

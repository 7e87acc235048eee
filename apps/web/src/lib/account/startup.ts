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
 * session state: the person's work must never wait on the network. Without one, the server decides: an existing
 * session is adopted, else the setup screen (no account yet) or the sign-in screen.
 */
export async function decideStartup(env: StartupEnvironment): Promise<StartupScreen> {
  const stored = env.storedAccount()
  if (stored) return { screen: 'app', account: stored }
  if (!env.isOnline()) return { screen: 'sign-in', reason: 'offline' }
  try {
    const session = await env.session()
    if (session) return { screen: 'app', account: session.account }
    return (await env.setupNeeded()) ? { screen: 'setup' } : { screen: 'sign-in' }
  } catch {
    return { screen: 'sign-in', reason: 'unreachable' }
  }
}

/**
 * Lets the sync bar ask for a sign-in and hear when it happened, without the sync and auth features importing each
 * other: the account menu (auth) opens the dialog; the sync bar (sync) resumes syncing.
 */
type Listener = () => void

const openListeners = new Set<Listener>()
const signedInListeners = new Set<Listener>()

/** Asks whoever shows the sign-in dialog to open it. */
export function requestSignIn(): void {
  for (const listener of openListeners) listener()
}

export function onSignInRequested(listener: Listener): () => void {
  openListeners.add(listener)
  return () => openListeners.delete(listener)
}

/** Tells listeners that the account whose data is open has signed in again (so syncing can resume). */
export function announceSignedInAgain(): void {
  for (const listener of signedInListeners) listener()
}

export function onSignedInAgain(listener: Listener): () => void {
  signedInListeners.add(listener)
  return () => signedInListeners.delete(listener)
}

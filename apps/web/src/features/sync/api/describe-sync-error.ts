import type { SyncRunError } from './sync-run-error.ts'

const MESSAGES: Record<SyncRunError['kind'], string> = {
  storage: 'This phone could not save the sync. Free some storage space, then sync again.',
  offline: 'Changes are saved on this phone and sync when you are back online.',
  timeout: 'The server took too long to answer.',
  network: 'The server could not be reached.',
  unauthorized: 'You need to sign in again before your changes can sync.',
  rate_limited: 'The server is busy right now.',
  unavailable: 'The server is temporarily unavailable.',
  server: 'The server had a problem with this sync.',
  bad_request: 'The server refused this sync',
  conflict: 'This sync clashed with an earlier attempt; the next sync starts afresh.',
  version_not_supported:
    'This version of the app can no longer sync. Your changes are kept on this phone: update the app to send them.',
  invalid_response:
    'The server sent an answer the app does not understand. Nothing on this phone was changed.',
}

/** A sentence for the person holding the phone: what went wrong and that their work is safe. */
export function describeSyncError(error: SyncRunError): string {
  const base = MESSAGES[error.kind]
  // A refused request names its problem (e.g. which field); the server's message says it best.
  if (error.kind === 'bad_request') return `${base}: ${error.message}`
  return base
}

import type { Transport } from '@offline-sync/sync-client'
import {
  createHttpTransport as createEngineHttpTransport,
  type HttpTransportOptions,
} from '@offline-sync/sync-client/http'
import { createAuthApi } from '../account/auth-api.ts'

export { SYNC_PATH, parseRetryAfter, type HttpTransportOptions } from '@offline-sync/sync-client/http'

/**
 * The client engine's HTTP transport with this app's session: unless given, the CSRF token comes from memory,
 * else from GET /api/auth/session, and is refetched once after a 403 csrf_failed.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const isOnline = options.isOnline ?? (() => navigator.onLine)
  const auth = createAuthApi({
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    isOnline,
  })
  return createEngineHttpTransport({
    ...options,
    isOnline,
    csrfToken: options.csrfToken ?? auth.csrfToken,
    refreshCsrfToken: options.refreshCsrfToken ?? auth.refreshCsrfToken,
  })
}

// Zod must run jitless before the engine parses anything (see configure-zod.ts).
import '../configure-zod.ts'
import { companiesContacts as spec } from '@offline-sync/sync-protocol'
import {
  createLocalDatabase,
  createSyncEngine,
  createSyncJournal,
  syncUntilSettled,
  webSyncLock,
  type SyncReport,
} from '@offline-sync/sync-client'
import { createAuthApi } from '../account/auth-api.ts'
import { localDatabaseName } from '../account/stored-account.ts'
import { createHttpTransport } from '../sync/http-transport.ts'

/** A background sync that should be tried again later: the browser retries a sync event whose promise rejects. */
export class BackgroundSendError extends Error {}

export interface BackgroundSendOptions {
  fetch?: typeof globalThis.fetch
  /** Whether a database by that name exists (opening one that does not would create it, empty). */
  databaseExists?: (name: string) => Promise<boolean>
}

async function databaseExists(name: string): Promise<boolean> {
  const list = await indexedDB.databases?.()
  // Without databases() (old browsers) opening is the only way to know; the engine then finds nothing to send.
  return list === undefined ? true : list.some((info) => info.name === name)
}

/**
 * What the service worker runs on a Background Sync event: the same engine and rules as the open app, with no
 * window. It asks the server whose session the browser holds (GET /api/auth/session, which also gives the CSRF
 * token), opens that account's database, and syncs until nothing is left. No session: nothing is sent (the
 * changes wait for their owner to sign in). One sync at a time still holds: the Web Lock is the app's own.
 * Resolves with the last report (null when nothing was tried); rejects with BackgroundSendError when the browser
 * should retry later (offline again, server unreachable or busy).
 */
export async function sendChangesInBackground(
  options: BackgroundSendOptions = {},
): Promise<SyncReport | null> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const auth = createAuthApi({ fetch: doFetch })
  let session: Awaited<ReturnType<typeof auth.session>>
  try {
    session = await auth.session()
  } catch (err) {
    throw new BackgroundSendError('The server could not be reached', { cause: err })
  }
  if (!session) return null
  const { account, csrfToken } = session
  const name = localDatabaseName(account.id)
  if (!(await (options.databaseExists ?? databaseExists)(name))) return null

  const db = createLocalDatabase(spec, name)
  const journal = createSyncJournal(`${db.name}-journal`)
  try {
    const engine = createSyncEngine({
      db,
      spec,
      transport: createHttpTransport({
        fetch: doFetch,
        accountId: () => account.id,
        csrfToken: async () => csrfToken,
        refreshCsrfToken: async () => (await auth.session())?.csrfToken ?? null,
      }),
      lock: webSyncLock(`${db.name}:sync`),
      onSyncFinished: async (report) => {
        await journal.record(report)
      },
    })
    // Retries are the browser's: a rejected sync event is fired again later (below).
    const report = await syncUntilSettled(engine, { trigger: 'background' })
    if (report.outcome === 'failed' && report.error?.retryable) {
      throw new BackgroundSendError(report.error.message)
    }
    return report
  } finally {
    db.close()
    journal.db.close()
  }
}

// Zod must run jitless before the engine parses anything (see configure-zod.ts); zod now loads with this module.
import '../configure-zod.ts'
import { createSyncEngine, webSyncLock } from '@offline-sync/sync-client'
import { account, db, spec } from '../db.ts'
import { createHttpTransport } from './http-transport.ts'
import { setSyncProgress } from './sync-progress.ts'
import { measuredTransport, recordSync } from './measured-transport.ts'
import { requireUpdate } from '../pwa/register-sw.ts'

type SyncEngine = ReturnType<typeof createSyncEngine>
let engine: SyncEngine | null = null

/**
 * The app's one OnSync engine: POST /api/sync over fetch, one sync at a time across tabs (Web Locks). Its
 * requests name the open account, so the server never takes them under another person's session.
 * `sync()` never throws on a failed sync; it reports the outcome.
 *
 * Built on first use, not when this module loads: building it builds the response's zod schema, a main-thread
 * task of its own (tens of ms on a slow phone) that should not add to the one that evaluates this chunk and zod
 * (use-sync-mutation.ts yields between the two).
 */
export function appSyncEngine(): SyncEngine {
  return (engine ??= createAppSyncEngine())
}

function createAppSyncEngine(): SyncEngine {
  return createSyncEngine({
    db,
    spec,
    transport: measuredTransport(createHttpTransport({ accountId: () => account.id })),
    lock: webSyncLock(`${db.name}:sync`),
    onProgress: setSyncProgress,
    // Every sync goes in the device's journal (Sync history screen).
    onSyncFinished: async (report) => {
      // Rule P3: the server speaks another protocol version; show the update prompt (the failure is not retried).
      if (report.error?.kind === 'version_not_supported') requireUpdate()
      await recordSync(report)
    },
  })
}

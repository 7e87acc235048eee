// Zod must run jitless before the engine parses anything (see configure-zod.ts); zod now loads with this module.
import '../configure-zod.ts'
import { createSyncEngine, webSyncLock } from '@offline-sync/sync-client'
import { account, db, spec } from '../db.ts'
import { createHttpTransport } from './http-transport.ts'
import { setSyncProgress } from './sync-progress.ts'
import { measuredTransport, recordSync } from './measured-transport.ts'
import { requireUpdate } from '../pwa/register-sw.ts'

/**
 * The app's one OnSync engine: POST /api/sync over fetch, one sync at a time across tabs (Web Locks). Its
 * requests name the open account, so the server never takes them under another person's session.
 * `sync()` never throws on a failed sync; it reports the outcome. Creating it is cheap: the engine builds its
 * response schema on the first answer, so evaluating this chunk and building that schema are separate tasks.
 */
export const syncEngine = createSyncEngine({
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

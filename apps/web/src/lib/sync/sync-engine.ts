import { createSyncEngine, webSyncLock } from '@offline-sync/client-engine'
import { db, spec } from '../db.ts'
import { createHttpTransport } from './http-transport.ts'
import { setSyncProgress } from './sync-progress.ts'

/**
 * The app's one OnSync engine: POST /api/sync over fetch, one sync at a time across tabs (Web Locks).
 * `sync()` never throws on a failed sync; it reports the outcome.
 */
export const syncEngine = createSyncEngine({
  db,
  spec,
  transport: createHttpTransport(),
  lock: webSyncLock(`${db.name}:sync`),
  onProgress: setSyncProgress,
})

import { createSyncJournal } from '@offline-sync/sync-client'
import { db } from '../db.ts'

/** Every sync of this account on this device, newest last; in its own database next to the account's data. */
export const syncJournal = createSyncJournal(`${db.name}-journal`)

import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { createLocalDatabase, type LocalDatabase } from '../src/local-database.ts'
import { createLocalQueries } from '../src/local-queries.ts'
import { createLocalWrites } from '../src/local-writes.ts'

export const spec = companiesContacts

/** fake-indexeddb handed to Dexie explicitly, so no test depends on import order or on globals. */
export const fakeIndexedDb = { indexedDB, IDBKeyRange }

/** A fresh device database with its own name, so tests never see each other's data. */
export function makeDevice(label = 'device') {
  const db: LocalDatabase = createLocalDatabase(spec, `${label}-${crypto.randomUUID()}`, fakeIndexedDb)
  return { db, writes: createLocalWrites(db, spec), queries: createLocalQueries(db, spec) }
}

/** A promise to resolve from the test: lets a transport hold a request "in flight". */
export function gate<T = void>() {
  let open!: (value: T) => void
  const opened = new Promise<T>((resolve) => (open = resolve))
  return { opened, open }
}

/** A minimal valid empty full response for transports that script the server. */
export function emptyResponse(cursor = '1') {
  return {
    mode: 'full',
    cursor,
    replayed: false,
    companies: [],
    contacts: [],
    removed: { companies: [], contacts: [] },
    companyIdMap: {},
    contactIdMap: {},
    rejected: [],
    overwrites: [],
    overwritten: [],
    page: { next: null, total: { companies: 0, contacts: 0 } },
    written: { companies: [], contacts: [] },
  }
}

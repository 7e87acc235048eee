import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import type { Page } from '@playwright/test'
import { companiesContacts } from '@offline-sync/sync-protocol'
import {
  createLocalDatabase,
  createLocalWrites,
  createSyncEngine,
  memorySyncLock,
  type SyncReport,
  type Transport,
} from '@offline-sync/sync-client'

/** An IndexedDB database's shape and contents, to be made again in the browser. */
export interface DatabaseImage {
  name: string
  version: number
  stores: {
    name: string
    keyPath: string | string[] | null
    autoIncrement: boolean
    indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[]
    /** [key, value] pairs: the key only matters for stores without a key path. */
    records: [IDBValidKey, unknown][]
  }[]
}

interface EngineDevice {
  writes: ReturnType<typeof createLocalWrites>
  /** A real sync through `transport` (one must be given). */
  sync: () => Promise<SyncReport>
}

/**
 * A device database written by the engine itself, in fake-indexeddb, then imaged: what an earlier build of the app
 * would have left in the browser, with the exact schema the engine declares (nothing here repeats it). With a
 * transport it can sync, so it holds server records exactly as a sync leaves them.
 */
export async function engineDatabaseImage(
  name: string,
  write: (device: EngineDevice) => Promise<void>,
  transport?: Transport,
): Promise<DatabaseImage> {
  const db = createLocalDatabase(companiesContacts, name, { indexedDB, IDBKeyRange })
  try {
    const noTransport: Transport = () => Promise.reject(new Error('this image was given no transport'))
    const engine = createSyncEngine({
      db,
      spec: companiesContacts,
      transport: transport ?? noTransport,
      lock: memorySyncLock(),
    })
    await write({ writes: createLocalWrites(db, companiesContacts), sync: () => engine.sync('manual') })
    db.close()
    return await imageOf(name)
  } finally {
    await db.delete()
  }
}

async function imageOf(name: string): Promise<DatabaseImage> {
  const raw = await request(indexedDB.open(name))
  try {
    const stores: DatabaseImage['stores'] = []
    for (const storeName of Array.from(raw.objectStoreNames)) {
      const store = raw.transaction(storeName, 'readonly').objectStore(storeName)
      const indexes = Array.from(store.indexNames).map((indexName) => {
        const index = store.index(indexName)
        return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry }
      })
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())])
      stores.push({
        name: storeName,
        keyPath: store.keyPath,
        autoIncrement: store.autoIncrement,
        indexes,
        records: keys.map((key, i) => [key, values[i]]),
      })
    }
    return { name, version: raw.version, stores }
  } finally {
    raw.close()
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

/** Makes the imaged database in the page's origin, through the browser's own IndexedDB. */
export async function restoreDatabase(page: Page, image: DatabaseImage): Promise<void> {
  // Handed over as JSON text: Playwright's serialisable-argument type cannot follow `unknown` record values.
  await page.evaluate(async (json) => {
    const image = JSON.parse(json) as DatabaseImage
    const open = indexedDB.open(image.name, image.version)
    open.onupgradeneeded = () => {
      for (const store of image.stores) {
        const created = open.result.createObjectStore(store.name, {
          keyPath: store.keyPath,
          autoIncrement: store.autoIncrement,
        })
        for (const index of store.indexes)
          created.createIndex(index.name, index.keyPath, {
            unique: index.unique,
            multiEntry: index.multiEntry,
          })
      }
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error ?? new Error(`could not create ${image.name}`))
    })
    const tx = db.transaction(
      image.stores.map((store) => store.name),
      'readwrite',
    )
    for (const store of image.stores) {
      const target = tx.objectStore(store.name)
      for (const [key, value] of store.records) {
        if (store.keyPath === null) target.put(value, key)
        else target.put(value)
      }
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error(`could not fill ${image.name}`))
    })
    db.close()
  }, JSON.stringify(image))
}

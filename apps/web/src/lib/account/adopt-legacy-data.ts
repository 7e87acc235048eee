import { companiesContacts } from '@offline-sync/protocol'
import { createLocalDatabase } from '@offline-sync/client-engine'
import { localDatabaseName } from './stored-account.ts'

/** The one database of the app before accounts: it may hold changes that were never sent. */
export const LEGACY_DATABASE_NAME = 'offline-sync'

interface IndexedDbDeps {
  indexedDB: IDBFactory
  IDBKeyRange: typeof IDBKeyRange
}

const browserDeps = (): IndexedDbDeps => ({
  indexedDB: globalThis.indexedDB,
  IDBKeyRange: globalThis.IDBKeyRange,
})

/**
 * Carries the pre-accounts database over to the first account that opens its data on this device, then deletes it.
 * Without this an upgrade would hide unsent work for good (nothing would ever open or send it again). Companies and
 * contacts are shared by all accounts, so whoever signs in first may send them. Does nothing when there is no such
 * database or this account already has one. Resolves whether it carried anything over.
 */
export async function adoptLegacyData(
  accountId: number,
  deps: IndexedDbDeps = browserDeps(),
): Promise<boolean> {
  const target = localDatabaseName(accountId)
  const known = new Set((await deps.indexedDB.databases()).map((info) => info.name))
  if (!known.has(LEGACY_DATABASE_NAME) || known.has(target)) return false

  const legacy = createLocalDatabase(companiesContacts, LEGACY_DATABASE_NAME, deps)
  const next = createLocalDatabase(companiesContacts, target, deps)
  try {
    const [parents, children, outbox, meta] = await legacy.transaction(
      'r',
      [legacy.parents, legacy.children, legacy.outbox, legacy.meta],
      () =>
        Promise.all([
          legacy.parents.toArray(),
          legacy.children.toArray(),
          legacy.outbox.toArray(),
          legacy.meta.toArray(),
        ]),
    )
    // One transaction: the new database gets all of it (device id, cursor and outbox included) or none of it.
    await next.transaction('rw', [next.parents, next.children, next.outbox, next.meta], async () => {
      await next.parents.bulkPut(parents)
      await next.children.bulkPut(children)
      await next.outbox.bulkPut(outbox)
      await next.meta.bulkPut(meta)
    })
  } catch (err) {
    // An empty database under the account's name would make the next start skip the copy for good.
    await next.delete()
    throw err
  } finally {
    legacy.close()
    next.close()
  }
  // Not awaited: an old tab still holding it only delays the delete, and the copy is already complete.
  void deps.indexedDB.deleteDatabase(LEGACY_DATABASE_NAME)
  return true
}

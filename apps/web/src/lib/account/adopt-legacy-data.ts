import { companiesContacts } from '@offline-sync/protocol'
import { createLocalDatabase } from '@offline-sync/client-engine'
import { LEGACY_DATABASE_NAME, LEGACY_FALLBACK_KEY, localDatabaseName } from './stored-account.ts'

export { LEGACY_DATABASE_NAME }

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

/**
 * The start's adoption step. When carrying the old database over fails, this page works on the old database itself
 * (its records, device id and outbox are all there, so work and syncing go on) instead of opening an empty one
 * for the account: that one would make every later start skip the adoption and hide the old data for good. The
 * next start tries again. `page` is sessionStorage, read by openedDatabaseName when lib/db.ts loads.
 */
export async function adoptOrFallBack(
  accountId: number,
  page: Pick<Storage, 'setItem' | 'removeItem'> = window.sessionStorage,
  adopt: (accountId: number) => Promise<boolean> = (id) => adoptLegacyData(id),
  log: (message: string, err: unknown) => void = console.error,
): Promise<'adopted' | 'nothing' | 'fallback'> {
  try {
    const adopted = await adopt(accountId)
    page.removeItem(LEGACY_FALLBACK_KEY)
    return adopted ? 'adopted' : 'nothing'
  } catch (err) {
    log('Could not carry the old local data over; this page works on it directly', err)
    page.setItem(LEGACY_FALLBACK_KEY, String(accountId))
    return 'fallback'
  }
}

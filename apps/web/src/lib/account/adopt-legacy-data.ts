import { companiesContacts } from '@offline-sync/sync-protocol'
import { carryPendingChanges, createLocalDatabase, type LocalDatabase } from '@offline-sync/sync-client'
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
 * contacts are shared by all accounts, so whoever signs in first may send them. When that account has a database
 * already (an earlier build left an empty one after a failed copy, or the old one outlived its delete), only the
 * unsent changes are carried into it, matched by uid (carryPendingChanges). Does nothing when there is no such
 * database. Resolves whether it carried anything over.
 */
export async function adoptLegacyData(
  accountId: number,
  deps: IndexedDbDeps = browserDeps(),
): Promise<boolean> {
  const target = localDatabaseName(accountId)
  const known = new Set((await deps.indexedDB.databases()).map((info) => info.name))
  if (!known.has(LEGACY_DATABASE_NAME)) return false

  const legacy = createLocalDatabase(companiesContacts, LEGACY_DATABASE_NAME, deps)
  const next = createLocalDatabase(companiesContacts, target, deps)
  let carried: boolean
  try {
    carried = known.has(target) ? await mergeInto(legacy, next) : await copyInto(legacy, next)
  } finally {
    legacy.close()
    next.close()
  }
  // Not awaited: an old tab still holding it only delays the delete, and the copy is already complete.
  void deps.indexedDB.deleteDatabase(LEGACY_DATABASE_NAME)
  return carried
}

/** The account has no database yet: the old one becomes it, device id, cursor and outbox included. */
async function copyInto(legacy: LocalDatabase, next: LocalDatabase): Promise<boolean> {
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
    // One transaction: the new database gets all of it or none of it.
    await next.transaction('rw', [next.parents, next.children, next.outbox, next.meta], async () => {
      await next.parents.bulkPut(parents)
      await next.children.bulkPut(children)
      await next.outbox.bulkPut(outbox)
      await next.meta.bulkPut(meta)
    })
    await empty(legacy)
    return true
  } catch (err) {
    // An empty database under the account's name would make the next start take the merge path with nothing
    // in it; deleting it keeps the next start a plain copy. Only ever the database this call created.
    await next.delete()
    throw err
  }
}

/** The account has its own database: its data stays; the old one's unsent changes join it. */
async function mergeInto(legacy: LocalDatabase, next: LocalDatabase): Promise<boolean> {
  try {
    const carried = await carryPendingChanges(legacy, next)
    await empty(legacy)
    return carried.parents + carried.children > 0
  } catch (err) {
    throw new LegacyMergeError(err)
  }
}

/**
 * Emptied before the delete: an old database that outlives it (a tab still holding it) cannot carry the same
 * changes a second time, by then perhaps over newer edits made elsewhere. Its meta goes too: copied into another
 * account's new database, a cursor without the records it stands for would make that one's syncs deltas that never
 * bring the older records.
 */
async function empty(legacy: LocalDatabase): Promise<void> {
  const tables = [legacy.parents, legacy.children, legacy.outbox, legacy.meta]
  await legacy.transaction('rw', tables, async () => {
    await Promise.all(tables.map((table) => table.clear()))
  })
}

/**
 * Carrying the old database's changes into the account's own failed. Unlike a failed copy, the page must not fall
 * back to the old database: the account's own holds this person's later work. It opens as usual, and the old
 * database, untouched, waits for the next start.
 */
export class LegacyMergeError extends Error {
  override readonly name = 'LegacyMergeError'
  constructor(cause: unknown) {
    super("Could not carry the old local data's unsent changes into this account's", { cause })
  }
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
    if (err instanceof LegacyMergeError) {
      log('Could not carry the old local data over; it waits for the next start', err)
      page.removeItem(LEGACY_FALLBACK_KEY)
      return 'nothing'
    }
    log('Could not carry the old local data over; this page works on it directly', err)
    page.setItem(LEGACY_FALLBACK_KEY, String(accountId))
    return 'fallback'
  }
}

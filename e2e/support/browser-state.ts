import { expect, type Page } from '@playwright/test'

/** A local record as the app keeps it in IndexedDB, with its sync flags read as booleans. */
export interface LocalRecord {
  uid: string
  id: number
  name: string
  companyId?: number
  isFromServer: boolean
  isModified: boolean
  isActive: boolean
  [field: string]: unknown
}

/**
 * Resolves once the app's service worker is activated AND controls this page: only then are the app shell's files
 * precached and navigations answered offline. The app registers with clientsClaim, so the first visit is enough.
 * Polls the registration (no event can be missed that way) and says what it last saw when it gives up.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration()
          return {
            active: registration?.active?.state ?? null,
            controlled: navigator.serviceWorker.controller !== null,
          }
        }),
      { message: 'the service worker is activated and controls the page', timeout: 30_000 },
    )
    .toEqual({ active: 'activated', controlled: true })
}

/** The IndexedDB database of the account whose data the app has open (localStorage `offline-sync:account`). */
export async function localDatabaseName(page: Page): Promise<string> {
  const name = await page.evaluate(() => {
    const raw = localStorage.getItem('offline-sync:account')
    const id = raw === null ? undefined : (JSON.parse(raw) as { id?: unknown }).id
    return typeof id === 'number' ? `companies-contacts-${id}` : null
  })
  if (name === null) throw new Error('no account is stored: the app has not opened any local data yet')
  return name
}

/**
 * Both local tables straight from IndexedDB (the open account's Dexie database), without going through the app.
 * Opening without a version reuses the app's schema; call it only after the app has opened its database, or this
 * would create an empty one under the app's feet.
 */
export async function readLocalRecords(
  page: Page,
): Promise<{ companies: LocalRecord[]; contacts: LocalRecord[]; outbox: unknown[] }> {
  const name = await localDatabaseName(page)
  return page.evaluate(async (name) => {
    const known = await indexedDB.databases()
    if (!known.some((db) => db.name === name))
      throw new Error(`the app has not created its database ${name} yet`)
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'))
    })
    const readAll = (table: string) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const request = db.transaction(table, 'readonly').objectStore(table).getAll()
        request.onsuccess = () => resolve(request.result as Record<string, unknown>[])
        request.onerror = () => reject(request.error ?? new Error(`reading ${table} failed`))
      })
    try {
      // Dexie cannot index booleans, so the flags may be stored as 0/1: normalise them.
      const normalise = (record: Record<string, unknown>) => ({
        ...record,
        isFromServer: Boolean(record.isFromServer),
        isModified: Boolean(record.isModified),
        isActive: Boolean(record.isActive),
      })
      const [companies, contacts, outbox] = await Promise.all([
        readAll('companies'),
        readAll('contacts'),
        // The sync request in flight or awaiting a resend; empty once its response has been applied.
        db.objectStoreNames.contains('outbox') ? readAll('outbox') : Promise.resolve([]),
      ])
      return {
        companies: companies.map(normalise) as unknown as LocalRecord[],
        contacts: contacts.map(normalise) as unknown as LocalRecord[],
        outbox,
      }
    } finally {
      db.close()
    }
  }, name)
}

/** The clean state of a record the server holds: real id, flags as the server returned them. */
export const isSynced = (record: LocalRecord): boolean =>
  record.id > 0 && record.isFromServer && !record.isModified && record.isActive

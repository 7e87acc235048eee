/** The account whose local data is open on this device (contract: localStorage `offline-sync:account`). */
export interface Account {
  id: number
  email: string
}

export const ACCOUNT_STORAGE_KEY = 'offline-sync:account'

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

const browserStorage = (): KeyValueStorage => window.localStorage

/** Whether a value read from the server or from storage is an account (positive integer id, an email). */
export function isAccount(value: unknown): value is Account {
  if (typeof value !== 'object' || value === null) return false
  const { id, email } = value as Record<string, unknown>
  return (
    typeof id === 'number' && Number.isSafeInteger(id) && id > 0 && typeof email === 'string' && email !== ''
  )
}

/** The stored account, or null when none is stored or what is stored is unreadable (then nothing is opened). */
export function readStoredAccount(storage: KeyValueStorage = browserStorage()): Account | null {
  const raw = storage.getItem(ACCOUNT_STORAGE_KEY)
  if (raw === null) return null
  try {
    const value: unknown = JSON.parse(raw)
    return isAccount(value) ? { id: value.id, email: value.email } : null
  } catch {
    return null
  }
}

export function storeAccount(account: Account, storage: KeyValueStorage = browserStorage()): void {
  storage.setItem(ACCOUNT_STORAGE_KEY, JSON.stringify({ id: account.id, email: account.email }))
}

export function clearStoredAccount(storage: KeyValueStorage = browserStorage()): void {
  storage.removeItem(ACCOUNT_STORAGE_KEY)
}

/**
 * The IndexedDB database of one account. Device id, outbox and pending changes live in it, so another person
 * signing in on the same device never sees or sends them.
 */
export function localDatabaseName(accountId: number): string {
  return `companies-contacts-${accountId}`
}

/** The one database of the app before accounts: it may hold changes that were never sent (adopt-legacy-data.ts). */
export const LEGACY_DATABASE_NAME = 'offline-sync'

/** sessionStorage: the account whose page works on the pre-accounts database because carrying it over failed. */
export const LEGACY_FALLBACK_KEY = 'offline-sync:legacy-fallback'

/**
 * The database this page opens for `account`: its own, or the pre-accounts one while carrying that over fails
 * (adoptOrFallBack in adopt-legacy-data.ts decides, before lib/db.ts loads).
 */
export function openedDatabaseName(
  account: Account,
  page: Pick<Storage, 'getItem'> = window.sessionStorage,
): string {
  return page.getItem(LEGACY_FALLBACK_KEY) === String(account.id)
    ? LEGACY_DATABASE_NAME
    : localDatabaseName(account.id)
}

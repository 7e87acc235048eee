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

import { describe, expect, it } from 'vitest'
import {
  ACCOUNT_STORAGE_KEY,
  clearStoredAccount,
  localDatabaseName,
  readStoredAccount,
  storeAccount,
} from './stored-account.ts'

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

describe('stored account', () => {
  it('round-trips { id, email } under offline-sync:account and clears it', () => {
    const storage = memoryStorage()
    expect(readStoredAccount(storage)).toBeNull()
    storeAccount({ id: 3, email: 'ann@example.com' }, storage)
    expect(JSON.parse(storage.items.get(ACCOUNT_STORAGE_KEY) ?? '')).toEqual({
      id: 3,
      email: 'ann@example.com',
    })
    expect(readStoredAccount(storage)).toEqual({ id: 3, email: 'ann@example.com' })
    clearStoredAccount(storage)
    expect(readStoredAccount(storage)).toBeNull()
  })

  it('treats anything unreadable as no account, so no database is opened under a made-up name', () => {
    const storage = memoryStorage()
    for (const raw of [
      'not json',
      'null',
      '{"id":"3","email":"a@b"}',
      '{"id":0,"email":"a@b"}',
      '{"id":2}',
    ]) {
      storage.items.set(ACCOUNT_STORAGE_KEY, raw)
      expect(readStoredAccount(storage), raw).toBeNull()
    }
  })

  it('names one local database per account', () => {
    expect(localDatabaseName(12)).toBe('companies-contacts-12')
    expect(localDatabaseName(12)).not.toBe(localDatabaseName(13))
  })
})

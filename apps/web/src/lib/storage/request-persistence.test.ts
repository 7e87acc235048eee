import { describe, expect, it } from 'vitest'
import { requestPersistentStorage } from './request-persistence.ts'

function memory() {
  const map = new Map<string, string>()
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    map,
  }
}

describe('requestPersistentStorage', () => {
  it('asks the browser once and remembers the answer', async () => {
    let asked = 0
    const storage = { persisted: async () => false, persist: async () => (asked++, true) }
    const mem = memory()
    expect(await requestPersistentStorage(storage, mem)).toBe('granted')
    expect(await requestPersistentStorage(storage, mem)).toBe('granted')
    expect(asked).toBe(1)
  })

  it('remembers a refusal too, so the user is not asked at every start', async () => {
    let asked = 0
    const storage = { persisted: async () => false, persist: async () => (asked++, false) }
    const mem = memory()
    expect(await requestPersistentStorage(storage, mem)).toBe('denied')
    expect(await requestPersistentStorage(storage, mem)).toBe('denied')
    expect(asked).toBe(1)
  })

  it('does not ask when the data is already persisted', async () => {
    let asked = 0
    const storage = { persisted: async () => true, persist: async () => (asked++, true) }
    expect(await requestPersistentStorage(storage, memory())).toBe('granted')
    expect(asked).toBe(0)
  })

  it('says so when the browser has no storage manager', async () => {
    expect(await requestPersistentStorage(undefined, memory())).toBe('unsupported')
    expect(await requestPersistentStorage({}, null)).toBe('unsupported')
  })
})

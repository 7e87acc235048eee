import { describe, expect, it } from 'vitest'
import { askToPersist, formatBytes, readStorageStatus } from './storage-status.ts'

describe('readStorageStatus', () => {
  it('reports persistence, usage and quota from the storage manager', async () => {
    const storage = { persisted: async () => true, estimate: async () => ({ usage: 2048, quota: 1_000_000 }) }
    expect(await readStorageStatus(storage)).toEqual({ persisted: true, usage: 2048, quota: 1_000_000 })
  })

  it('gives nulls, never an error, when the browser does not or cannot tell', async () => {
    expect(await readStorageStatus(undefined)).toEqual({ persisted: null, usage: null, quota: null })
    const failing = {
      persisted: () => Promise.reject(new Error('blocked')),
      estimate: () => Promise.reject(new Error('blocked')),
    }
    expect(await readStorageStatus(failing)).toEqual({ persisted: null, usage: null, quota: null })
    expect(await readStorageStatus({ estimate: async () => ({ usage: 5, quota: 0 }) })).toEqual({
      persisted: null,
      usage: 5,
      quota: null,
    })
  })
})

describe('askToPersist', () => {
  it('returns the browser answer and false when asking fails', async () => {
    expect(await askToPersist({ persist: async () => true })).toBe(true)
    expect(await askToPersist({ persist: () => Promise.reject(new Error('no')) })).toBe(false)
    expect(await askToPersist(undefined)).toBe(false)
  })
})

describe('formatBytes', () => {
  it('uses binary units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 bytes')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB')
    expect(formatBytes(123.4 * 1024 * 1024 * 1024)).toBe('123 GB')
  })

  it('writes the number in the locale', () => {
    expect(formatBytes(1536, 'en')).toBe('1.5 KB')
    expect(formatBytes(1536, 'de')).toBe('1,5 KB')
    expect(formatBytes(2000 * 1024 * 1024 * 1024, 'fr').replace(/\s/g, ' ')).toBe('1,95 TB')
  })
})

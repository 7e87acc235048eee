import { describe, expect, it } from 'vitest'
import { describeProgress, downloadProgress } from './describe-progress.ts'

describe('download progress in the sync bar', () => {
  it('reads records stored of the total with a percent, in grouped digits, rounded down', () => {
    expect(downloadProgress({ phase: 'downloading', done: 12_400, total: 110_000 })).toEqual({
      done: 12_400,
      total: 110_000,
      text: '12,400 of 110,000 records · 11%',
    })
    expect(downloadProgress({ phase: 'downloading', done: 109_999, total: 110_000 })?.text).toBe(
      '109,999 of 110,000 records · 99%',
    )
    expect(describeProgress({ phase: 'downloading', done: 110_000, total: 110_000 })).toBe(
      '110,000 of 110,000 records · 100%',
    )
  })

  it('is no bar outside a download, or before its total is known', () => {
    expect(downloadProgress({ phase: 'applying', done: 1, total: 2 })).toBeNull()
    expect(downloadProgress({ phase: 'downloading', done: 0, total: 0 })).toBeNull()
    expect(describeProgress({ phase: 'downloading' })).toBe('Syncing… downloading')
    expect(downloadProgress(null)).toBeNull()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSyncScheduler } from '../src/sync-scheduler.ts'

type Reason = 'local-change' | 'resume' | 'periodic' | 'live' | 'manual'

/** A `run` whose syncs end only when the test says so, recording each reason. */
function scriptedRun() {
  const started: Reason[] = []
  const finishers: Array<(fail?: boolean) => void> = []
  const run = (reason: Reason) => {
    started.push(reason)
    return new Promise<void>((resolve, reject) =>
      finishers.push((fail) => (fail ? reject(new Error('sync failed')) : resolve())),
    )
  }
  /** Ends the oldest running sync and lets the scheduler react. */
  const finish = async (fail = false) => {
    const next = finishers.shift()
    if (!next) throw new Error('no sync is running')
    next(fail)
    await vi.advanceTimersByTimeAsync(0)
  }
  return { run, started, finish }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('sync scheduler: debounce of local writes', () => {
  it('a burst of five writes (a form saved field by field) is one sync, 1.5 s after the last write', async () => {
    const { run, started } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    for (let i = 0; i < 5; i++) {
      scheduler.localChange('local-change')
      await vi.advanceTimersByTimeAsync(300)
    }
    expect(started).toEqual([])
    await vi.advanceTimersByTimeAsync(1_199)
    expect(started).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(started).toEqual(['local-change'])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(started).toEqual(['local-change'])
  })

  it('writes that never pause still sync within the max wait (5 s after the first)', async () => {
    const { run, started } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    for (let i = 0; i < 9; i++) {
      scheduler.localChange('local-change')
      await vi.advanceTimersByTimeAsync(1_000)
      if (i < 4) expect(started).toEqual([])
    }
    // 9 s of writes one second apart: the first sync at 5 s, the writes after it make one more sync.
    expect(started).toEqual(['local-change'])
    expect(scheduler.state()).toMatchObject({ running: true, debounced: true })
  })

  it('cancelPending drops a debounced sync (the setting was turned off)', async () => {
    const { run, started } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.localChange('local-change')
    scheduler.cancelPending()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(started).toEqual([])
  })

  it('a request now covers a debounced one: no second sync for the same writes', async () => {
    const { run, started, finish } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.localChange('local-change')
    scheduler.request('manual')
    await finish()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(started).toEqual(['manual'])
  })
})

describe('sync scheduler: coalescing', () => {
  it('at most one sync runs and one waits, whatever the number of requests', async () => {
    const { run, started, finish } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.request('live')
    for (let i = 0; i < 100; i++) scheduler.request('live')
    expect(started).toEqual(['live'])
    expect(scheduler.state()).toMatchObject({ running: true, queued: true })
    await finish()
    expect(started).toEqual(['live', 'live'])
    expect(scheduler.state()).toMatchObject({ running: true, queued: false })
    await finish()
    expect(started).toHaveLength(2)
    expect(scheduler.state().running).toBe(false)
  })

  it('the queued sync runs after a failed one too (a failure is not the end of the scheduler)', async () => {
    const { run, started, finish } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.request('resume')
    scheduler.request('live')
    await finish(true)
    expect(started).toEqual(['resume', 'live'])
    await finish()
    scheduler.request('manual')
    expect(started).toEqual(['resume', 'live', 'manual'])
  })

  it('a run that throws synchronously does not wedge the scheduler', async () => {
    let calls = 0
    const scheduler = createSyncScheduler<Reason>({
      run: () => {
        calls++
        throw new Error('boom')
      },
    })
    scheduler.request('manual')
    await vi.advanceTimersByTimeAsync(0)
    scheduler.request('manual')
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toBe(2)
  })
})

describe('sync scheduler: periodic', () => {
  it('runs every N minutes, counted from the end of the last sync, and stops when set to null', async () => {
    const { run, started, finish } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.setPeriodic(5 * 60_000, 'periodic')
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1)
    expect(started).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(started).toEqual(['periodic'])
    // The sync takes 2 minutes: the next one is 5 minutes after it ended, not after it started.
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    await finish()
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1)
    expect(started).toEqual(['periodic'])
    await vi.advanceTimersByTimeAsync(1)
    expect(started).toEqual(['periodic', 'periodic'])
    await finish()
    scheduler.setPeriodic(null, 'periodic')
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(started).toHaveLength(2)
  })

  it('any other sync pushes the next periodic one back (no loop faster than the period)', async () => {
    const { run, started, finish } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.setPeriodic(60_000, 'periodic')
    await vi.advanceTimersByTimeAsync(50_000)
    scheduler.request('resume')
    await finish()
    await vi.advanceTimersByTimeAsync(59_999)
    expect(started).toEqual(['resume'])
    await vi.advanceTimersByTimeAsync(1)
    expect(started).toEqual(['resume', 'periodic'])
  })

  it('dispose stops every timer and ignores later requests', async () => {
    const { run, started } = scriptedRun()
    const scheduler = createSyncScheduler<Reason>({ run })
    scheduler.setPeriodic(60_000, 'periodic')
    scheduler.localChange('local-change')
    scheduler.dispose()
    scheduler.request('manual')
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(started).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})

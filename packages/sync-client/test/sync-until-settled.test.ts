import { describe, expect, it } from 'vitest'
import { syncUntilSettled, type SyncReport, type SyncTrigger } from '../src/index.ts'

type Step = Partial<SyncReport> & Pick<SyncReport, 'outcome'>

/** An engine that answers the scripted reports in order and records the triggers it was called with. */
function scripted(steps: Step[]) {
  const triggers: SyncTrigger[] = []
  const engine = {
    sync(trigger: SyncTrigger): Promise<SyncReport> {
      triggers.push(trigger)
      const step = steps[triggers.length - 1]
      if (!step) throw new Error(`sync #${triggers.length} was not expected`)
      return Promise.resolve({
        syncId: `s${triggers.length}`,
        trigger,
        startedAt: '',
        finishedAt: '',
        sent: {},
        idMaps: {},
        rejected: [],
        received: {},
        ...step,
      })
    },
  }
  return { engine, triggers }
}

const failed = (retryable: boolean, retryAfterMs?: number): Step => ({
  outcome: 'failed',
  error: {
    kind: retryable ? 'unavailable' : 'bad_request',
    message: 'x',
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  },
})

describe('syncUntilSettled', () => {
  it('sends the parts of a backlog one after another under the first trigger, until nothing is more', async () => {
    const { engine, triggers } = scripted([
      { outcome: 'synced', more: true },
      { outcome: 'synced', more: true },
      { outcome: 'synced', more: false },
    ])
    const seen: string[] = []
    const last = await syncUntilSettled(engine, {
      trigger: 'online',
      onReport: (r) => void seen.push(r.syncId),
    })
    expect(last).toMatchObject({ syncId: 's3', outcome: 'synced', more: false })
    expect(triggers).toEqual(['online', 'online', 'online'])
    expect(seen).toEqual(['s1', 's2', 's3'])
  })

  it('stops after maxParts even if the engine still reports more', async () => {
    const { engine, triggers } = scripted(
      Array.from({ length: 5 }, () => ({ outcome: 'synced', more: true }) as Step),
    )
    const last = await syncUntilSettled(engine, { maxParts: 3 })
    expect(triggers).toHaveLength(3)
    expect(last.more).toBe(true)
  })

  it('does not retry by default: a retryable failure is the caller’s to retry', async () => {
    const { engine, triggers } = scripted([failed(true)])
    expect(await syncUntilSettled(engine)).toMatchObject({ outcome: 'failed' })
    expect(triggers).toEqual(['manual'])
  })

  it('rule R20: retries a retryable failure with backoff, never sooner than Retry-After, as a "retry"', async () => {
    const { engine, triggers } = scripted([failed(true, 5_000), failed(true), { outcome: 'synced' }])
    const waits: number[] = []
    const last = await syncUntilSettled(engine, {
      maxRetries: 5,
      random: () => 0.5,
      wait: (ms) => {
        waits.push(ms)
        return Promise.resolve()
      },
    })
    expect(last.outcome).toBe('synced')
    expect(triggers).toEqual(['manual', 'retry', 'retry'])
    // Retry 1: jitter up to 1 s, floored at the server's 5 s; retry 2: half of 2 s.
    expect(waits).toEqual([5_000, 1_000])
  })

  it('gives up after maxRetries, and never retries a failure that is not retryable', async () => {
    const out = scripted([failed(true), failed(true), failed(true)])
    const wait = () => Promise.resolve()
    expect(await syncUntilSettled(out.engine, { maxRetries: 2, wait })).toMatchObject({ syncId: 's3' })
    const refused = scripted([failed(false)])
    expect(await syncUntilSettled(refused.engine, { maxRetries: 2, wait })).toMatchObject({ syncId: 's1' })
    expect(refused.triggers).toHaveLength(1)
  })

  it('a busy answer ends the loop: another tab is syncing', async () => {
    const { engine, triggers } = scripted([{ outcome: 'busy' }])
    expect((await syncUntilSettled(engine, { maxRetries: 3 })).outcome).toBe('busy')
    expect(triggers).toHaveLength(1)
  })
})

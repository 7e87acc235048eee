import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase } from '@offline-sync/db/testing'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { createServerDataSync, parseSyncRequest } from '@offline-sync/sync-server'
import type { Exchange } from '@offline-sync/test-support/node-device'
import { lockFigures, startLockSampler } from './lock-sampler.ts'
import { isAppliedWrite, summariseStep } from './writers-scenario.ts'

const empty = () => ({ added: [], modified: [], deleted: [] })
const company = (name: string) => ({
  id: -1,
  uid: randomUUID(),
  name,
  address: null,
  phone: null,
  email: null,
  website: null,
})

function exchange(changes: boolean, response: 'applied' | 'replayed' | 'failed', ms: number): Exchange {
  return {
    request: {
      protocolVersion: 3,
      deviceId: randomUUID(),
      syncId: randomUUID(),
      companies: changes ? { ...empty(), added: [company('x')] } : empty(),
      contacts: empty(),
    } as unknown as Exchange['request'],
    ...(response === 'failed'
      ? { error: new Error('no answer') }
      : { response: { cursor: '1', replayed: response === 'replayed', rejected: [] } }),
    ms,
  }
}

// The writers scenario's figures are printed, never asserted; what is tested here is that they count the right
// things: applied writes only, and syncs really queued on the writers' lock.
describe('writers scenario', () => {
  it('counts a sync as a write only when it carried a change and was applied, not answered from a receipt', () => {
    const exchanges = [
      exchange(true, 'applied', 10),
      exchange(true, 'applied', 30),
      exchange(true, 'replayed', 1000),
      exchange(false, 'applied', 2000),
      exchange(true, 'failed', 3000),
    ]
    expect(exchanges.map(isAppliedWrite)).toEqual([true, true, false, false, false])
    const lock = lockFigures([
      { waiting: 0, longestMs: 0 },
      { waiting: 3, longestMs: 40 },
    ])
    const step = summariseStep({ devices: 2, seconds: 2, exchanges, lock, loadAverage: 1 })
    expect(step).toMatchObject({
      writingSyncs: 2,
      writingPerSecond: 1,
      latencyMs: { p50: 10, p95: 30, max: 30 },
      failed: 1,
      lock: { samples: 2, meanWaiting: 1.5, maxWaiting: 3, busyShare: 0.5, longestMs: 40 },
      // Little's law: 1.5 syncs queued on average at 1 write/s = 1.5 s waited per write.
      meanLockWaitMs: 1500,
    })
  })

  describe('lock sampler', () => {
    let close: (() => Promise<void>) | undefined
    afterEach(async () => close?.())

    it('sees a writing sync queued on the SyncState row lock, and no longer once the holder commits', async () => {
      const db = await createTestDatabase('postgres')
      const holder = new pg.Client({ connectionString: db.url! })
      await holder.connect()
      const sampler = await startLockSampler(db.url!, 20)
      close = async () => {
        await sampler.stop()
        await holder.end()
        await db.close()
      }
      const engine = createServerDataSync(companiesContacts, db.sql)
      const write = (name: string) => {
        const parsed = parseSyncRequest(companiesContacts, {
          protocolVersion: 3,
          deviceId: randomUUID(),
          syncId: randomUUID(),
          companies: { ...empty(), added: [company(name)] },
          contacts: empty(),
        })
        if (!parsed.ok) throw new Error(parsed.error.message)
        return engine.sync(parsed.value)
      }
      await write('first') // creates the SyncState row

      // Another writer holds the lock: the engine's next writing sync must queue behind it.
      await holder.query('BEGIN')
      await holder.query('SELECT cursor FROM "SyncState" WHERE id = 1 FOR UPDATE')
      const queued = write('second')
      let seen = await sampler.sample()
      for (let tries = 0; seen.waiting === 0 && tries < 600; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        seen = await sampler.sample()
      }
      expect(seen.waiting).toBe(1)
      await holder.query('COMMIT')
      expect((await queued).cursor).toBe('2')
      expect((await sampler.sample()).waiting).toBe(0)

      const figures = lockFigures(await sampler.stop())
      expect(figures.maxWaiting).toBe(1)
      expect(figures.busyShare).toBeGreaterThan(0)
      expect(figures.busyShare).toBeLessThan(1)
    })
  })
})

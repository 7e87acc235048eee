import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import type { NodeDevice } from '@offline-sync/test-support/node-device'
import { createFaultWorld, type FaultWorld } from './support/fault-fixture.ts'
import { editOverlapping, settleAndJudge, shareRecords, waitFor } from './support/overlapping-edits.ts'

const COMPANIES = 300
const CONTACTS_EACH = 3

// Fault 2 of issue 4: the server process dies (SIGKILL, no graceful shutdown) in the middle of a large sync.
describe('fault: the server process is killed in the middle of a large sync', () => {
  let world: FaultWorld
  let blocker: pg.Client
  beforeAll(async () => {
    world = await createFaultWorld('server-killed')
    blocker = new pg.Client({ connectionString: world.directUrl })
    await blocker.connect()
  })
  afterAll(async () => {
    await blocker?.end()
    await world?.close()
  })

  it('leaves nothing partial, and the resend after the restart applies every change exactly once', async () => {
    const device = world.device('phone')
    expect((await device.sync()).outcome).toBe('synced')
    for (let i = 0; i < COMPANIES; i++) {
      const company = await device.writes.create('company', { name: `Batch ${String(i).padStart(3, '0')}` })
      for (let j = 0; j < CONTACTS_EACH; j++)
        await device.writes.create('contact', { name: `Person ${i}.${j}`, companyId: company.id })
    }

    // To kill it in the middle for sure, the test holds a lock the sync needs half-way: it can insert the
    // companies, then waits to insert the contacts. (EXCLUSIVE still lets everyone read the table.)
    await blocker.query('BEGIN')
    await blocker.query('LOCK TABLE "Contact" IN EXCLUSIVE MODE')
    const syncing = device.sync()
    const serverBackend = await waitFor('the sync to wait on the Contact lock', async () => {
      const { rows } = await blocker.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND wait_event_type = 'Lock'`,
      )
      return rows[0]?.pid
    })
    // It is in the middle: its transaction has written companies it has not committed.
    const { rows: held } = await blocker.query<{ relation: string }>(
      `SELECT relation::regclass::text AS relation FROM pg_locks WHERE pid = $1 AND mode = 'RowExclusiveLock'`,
      [serverBackend],
    )
    expect(held.map((lock) => lock.relation)).toContain('"Company"')

    await world.server.kill('SIGKILL')
    const killed = await syncing
    expect(killed.outcome).toBe('failed')
    expect(killed.error?.retryable).toBe(true)
    await blocker.query('ROLLBACK')
    // Postgres rolls back the orphaned transaction once it sees its client gone.
    await waitFor('the dead server’s connections to end', async () => {
      const { rows } = await blocker.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      )
      return rows[0]?.n === 0 ? true : undefined
    })
    const afterKill = await readServerRows(world.directUrl)
    expect(afterKill).toEqual({ companies: [], contacts: [] })
    expect(await device.pending()).toHaveLength(COMPANIES * (1 + CONTACTS_EACH))

    await world.restart(world.server.port)
    const reports = await device.syncWithRetries()
    const last = reports.at(-1)
    expect(last).toMatchObject({ outcome: 'synced', syncId: killed.syncId, resent: true, replayed: false })

    const server = await readServerRows(world.directUrl)
    expect(server.companies).toHaveLength(COMPANIES)
    expect(server.contacts).toHaveLength(COMPANIES * CONTACTS_EACH)
    expect(new Set(server.companies.map((c) => c.name)).size).toBe(COMPANIES)
    expect(new Set(server.contacts.map((c) => c.name)).size).toBe(COMPANIES * CONTACTS_EACH)
    // Each contact sits under the company the device put it under (the remap survived the crash).
    const companyName = new Map(server.companies.map((c) => [c.id, String(c.name)]))
    for (const contact of server.contacts) {
      const index = Number(String(contact.name).split(' ')[1]?.split('.')[0])
      expect(companyName.get(contact.companyId)).toBe(`Batch ${String(index).padStart(3, '0')}`)
    }
    expect(await differences(device, server)).toEqual([])
  }, 180_000)
})

// Issue 14 point 6 under fault 2: the server dies while two devices' syncs, editing the same fields, are in flight
// (one in its transaction, the other queued on the writers' lock). Rules M3–M5, R8, R11.
describe('fault: the server is killed while two devices send edits of the same fields (issue 14)', () => {
  let world: FaultWorld
  let blocker: pg.Client
  beforeAll(async () => {
    world = await createFaultWorld('server-killed-overlap')
    blocker = new pg.Client({ connectionString: world.directUrl })
    await blocker.connect()
  })
  afterAll(async () => {
    await blocker?.end()
    await world?.close()
  })

  const waiting = async (n: number) => {
    const { rows } = await blocker.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
    )
    return rows[0]!.n >= n ? true : undefined
  }

  it('rules M3–M5, R8, R11: nothing of either is applied; both resends are, in arrival order, with every replaced value told to both devices and none lost otherwise', async () => {
    const devices = [world.device('phone-a'), world.device('phone-b')]
    const [a, b] = devices as [NodeDevice, NodeDevice]
    const shared = await shareRecords(a, b)
    const before = await readServerRows(world.directUrl)

    // Round 1 goes through cleanly (a then b), so the killed round has earlier overwrites to build on.
    for (const round of [1, 2]) {
      await editOverlapping(a, 'a', round, shared)
      await editOverlapping(b, 'b', round, shared)
      if (round === 2) break
      expect((await a.sync()).outcome).toBe('synced')
      expect((await b.sync()).outcome).toBe('synced')
    }
    const afterRound1 = await readServerRows(world.directUrl)
    expect(afterRound1).not.toEqual(before)

    // a's transaction has updated the companies and waits for the Contact lock; b's waits for a's writers' lock.
    await blocker.query('BEGIN')
    await blocker.query('LOCK TABLE "Contact" IN EXCLUSIVE MODE')
    const syncingA = a.sync()
    await waitFor('a to wait on the Contact lock', () => waiting(1))
    const syncingB = b.sync()
    // b normally queues on the writers' lock; on a starved machine it may still be on its way when the fault
    // strikes, and then fails before the lock instead: a sync in flight either way, judged by the same checks.
    await waitFor('b to queue on the writers’ lock', () => waiting(2), 30_000).catch(() => undefined)
    await world.server.kill('SIGKILL')
    const [killedA, killedB] = await Promise.all([syncingA, syncingB])
    expect(killedA).toMatchObject({ outcome: 'failed', error: { retryable: true } })
    expect(killedB).toMatchObject({ outcome: 'failed', error: { retryable: true } })
    await blocker.query('ROLLBACK')
    await waitFor('the dead server’s connections to end', async () => {
      const { rows } = await blocker.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      )
      return rows[0]?.n === 0 ? true : undefined
    })
    // Nothing partial (R8): the server holds exactly what round 1 left.
    expect(await readServerRows(world.directUrl)).toEqual(afterRound1)

    await world.restart(world.server.port)
    const [resentA, resentB] = await Promise.all([a.syncWithRetries(), b.syncWithRetries()])
    expect(resentA.at(-1)).toMatchObject({ outcome: 'synced', syncId: killedA.syncId, replayed: false })
    expect(resentB.at(-1)).toMatchObject({ outcome: 'synced', syncId: killedB.syncId, replayed: false })

    const { problems, kept } = await settleAndJudge(world.directUrl, devices, new Map())
    expect(problems).toEqual([])
    // Each device replaced the other's values and was replaced (M4 and M5 both ways): the check had work to do.
    for (const list of kept) expect(new Set(list.map((o) => o.side))).toEqual(new Set(['mine', 'theirs']))
  }, 180_000)
})

import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import { createFaultWorld, type FaultWorld } from './support/fault-fixture.ts'

const COMPANIES = 300
const CONTACTS_EACH = 3

/** Polls `probe` every 50 ms until it returns something other than undefined; throws after `ms`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

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

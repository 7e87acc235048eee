import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import type { NodeDevice } from '@offline-sync/test-support/node-device'
import { createFaultWorld, type FaultWorld } from './support/fault-fixture.ts'
import { editOverlapping, settleAndJudge, shareRecords, waitFor } from './support/overlapping-edits.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'

// Fault 3 of issue 4: the server runs, but Postgres cannot be reached for a while.
describe('fault: Postgres is unavailable for a while', () => {
  let world: FaultWorld
  let postgres: TcpProxy
  beforeAll(async () => {
    world = await createFaultWorld('postgres-unavailable', {
      // The server talks to Postgres only through a proxy the test can cut, like a network partition.
      serverDatabaseUrl: async (directUrl) => {
        const url = new URL(directUrl)
        postgres = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
        url.port = String(postgres.port)
        return url.toString()
      },
    })
  })
  afterAll(async () => {
    await world?.close()
    await postgres?.close()
  })

  it('answers 503 with Retry-After; the device backs off, resends the same request, and recovers', async () => {
    const device = world.device('phone')
    const existing = await device.writes.create('company', { name: 'Before The Outage' })
    expect((await device.sync()).outcome).toBe('synced')
    const added = await device.writes.create('company', { name: 'During The Outage' })
    await device.writes.create('contact', { name: 'Eve', companyId: added.id })
    await device.writes.update('company', existing.uid, { website: 'https://example.test' })

    postgres.setMode('refuse')
    // What the wire says while Postgres is away: a retryable 503 with a Retry-After.
    const raw = await fetch(`${world.server.baseURL}/api/sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: world.session.cookie,
        'x-csrf-token': world.session.csrfToken,
      },
      body: JSON.stringify({
        protocolVersion: 3,
        deviceId: crypto.randomUUID(),
        syncId: crypto.randomUUID(),
      }),
    })
    expect(raw.status).toBe(503)
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('unavailable')

    const pendingBefore = await device.pending()
    let failures = 0
    const reports = await device.syncWithRetries(10, async (failed) => {
      failures++
      expect(failed.error).toMatchObject({ kind: 'unavailable', retryable: true })
      expect(failed.error?.retryAfterMs).toBeGreaterThan(0)
      // No new local write meanwhile: the same request waits in the outbox.
      expect((await device.outbox())[0]?.request.syncId).toBe(failed.syncId)
      expect(await device.pending()).toEqual(pendingBefore)
      // Postgres comes back after the second failed attempt.
      if (failures === 2) postgres.setMode('pass')
    })

    expect(reports.map((r) => r.outcome)).toEqual(['failed', 'failed', 'synced'])
    expect(new Set(reports.map((r) => r.syncId)).size).toBe(1)
    expect(reports.at(-1)).toMatchObject({ resent: true, replayed: false })
    // Exactly one request per attempt carried the changes: the transport never resends on its own.
    expect(device.exchanges.filter((e) => e.request.syncId === reports[0]?.syncId)).toHaveLength(3)

    const server = await readServerRows(world.directUrl)
    expect(server.companies.map((c) => [c.name, c.website]).sort()).toEqual([
      ['Before The Outage', 'https://example.test'],
      ['During The Outage', null],
    ])
    expect(server.contacts.map((c) => c.name)).toEqual(['Eve'])
    expect(await differences(device, server)).toEqual([])
  }, 120_000)
})

// Issue 14 point 6 under fault 3: Postgres becomes unreachable while two devices' syncs, editing the same fields,
// are in flight (one in its transaction, the other queued on the writers' lock). Rules M3–M5, R8, R11.
describe('fault: Postgres is cut while two devices send edits of the same fields (issue 14)', () => {
  let world: FaultWorld
  let postgres: TcpProxy
  let blocker: pg.Client
  beforeAll(async () => {
    world = await createFaultWorld('postgres-unavailable-overlap', {
      serverDatabaseUrl: async (directUrl) => {
        const url = new URL(directUrl)
        postgres = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
        url.port = String(postgres.port)
        return url.toString()
      },
    })
    blocker = new pg.Client({ connectionString: world.directUrl })
    await blocker.connect()
  })
  afterAll(async () => {
    await blocker?.end()
    await world?.close()
    await postgres?.close()
  })

  const count = async (where: string) => {
    const { rows } = await blocker.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND ${where}`,
    )
    return rows[0]!.n
  }

  it('rules M3–M5, R8, R11: both fail retryably and nothing is applied; once Postgres is back both resends are, with every replaced value told to both devices and none lost otherwise', async () => {
    const devices = [world.device('phone-a'), world.device('phone-b')]
    const [a, b] = devices as [NodeDevice, NodeDevice]
    const shared = await shareRecords(a, b)
    for (const round of [1, 2]) {
      await editOverlapping(a, 'a', round, shared)
      await editOverlapping(b, 'b', round, shared)
      if (round === 2) break
      expect((await b.sync()).outcome).toBe('synced')
      expect((await a.sync()).outcome).toBe('synced')
    }
    const afterRound1 = await readServerRows(world.directUrl)

    // a's transaction has updated the companies and waits for the Contact lock; b's waits for a's writers' lock.
    await blocker.query('BEGIN')
    await blocker.query('LOCK TABLE "Contact" IN EXCLUSIVE MODE')
    const syncingA = a.sync()
    await waitFor('a to wait on the Contact lock', async () =>
      (await count(`wait_event_type = 'Lock'`)) >= 1 ? true : undefined,
    )
    const syncingB = b.sync()
    // b normally queues on the writers' lock; on a starved machine it may still be on its way when the fault
    // strikes, and then fails before the lock instead: a sync in flight either way, judged by the same checks.
    await waitFor(
      'b to queue on the writers’ lock',
      async () => ((await count(`wait_event_type = 'Lock'`)) >= 2 ? true : undefined),
      30_000,
    ).catch(() => undefined)
    postgres.setMode('refuse')
    const [cutA, cutB] = await Promise.all([syncingA, syncingB])
    for (const cut of [cutA, cutB])
      expect(cut).toMatchObject({ outcome: 'failed', error: { retryable: true } })
    // The server's backends notice their client is gone once they get their locks, and roll back.
    await blocker.query('ROLLBACK')
    await waitFor('the cut connections to end', async () => ((await count('true')) === 0 ? true : undefined))
    // Nothing partial (R8): the server holds exactly what round 1 left.
    expect(await readServerRows(world.directUrl)).toEqual(afterRound1)

    // Still cut for the first resends; back after a has failed once more.
    let failures = 0
    const [resentA, resentB] = await Promise.all([
      a.syncWithRetries(10, () => {
        if (++failures === 1) postgres.setMode('pass')
      }),
      b.syncWithRetries(),
    ])
    expect(failures).toBeGreaterThan(0)
    expect(resentA.at(-1)).toMatchObject({ outcome: 'synced', syncId: cutA.syncId, replayed: false })
    expect(resentB.at(-1)).toMatchObject({ outcome: 'synced', syncId: cutB.syncId, replayed: false })

    const { problems, kept } = await settleAndJudge(world.directUrl, devices, new Map())
    expect(problems).toEqual([])
    // Each device replaced the other's values and was replaced (M4 and M5 both ways): the check had work to do.
    for (const list of kept) expect(new Set(list.map((o) => o.side))).toEqual(new Set(['mine', 'theirs']))
  }, 180_000)
})

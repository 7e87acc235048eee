import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import { createFaultWorld, type FaultWorld } from './support/fault-fixture.ts'
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

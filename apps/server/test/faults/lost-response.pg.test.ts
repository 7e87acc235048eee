import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import type { NodeDevice } from '@offline-sync/test-support/node-device'
import { createFaultWorld, type FaultWorld } from './support/fault-fixture.ts'
import {
  committedCursor,
  editOverlapping,
  settleAndJudge,
  shareRecords,
} from './support/overlapping-edits.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'

// Fault 1 of issue 4: the server commits a sync but its response never reaches the device.
describe('fault: the response of a committed sync is lost', () => {
  let world: FaultWorld
  let proxy: TcpProxy
  beforeAll(async () => {
    world = await createFaultWorld('lost-response')
    proxy = await startTcpProxy({ port: world.server.port })
  })
  afterAll(async () => {
    await proxy?.close()
    await world?.close()
  })

  it('is resent under the same syncId and answered from the receipt: every change applied exactly once', async () => {
    // The device reaches the server only through the proxy, as a phone through a flaky network.
    const device = world.device('phone', `http://127.0.0.1:${proxy.port}`)
    const kept = await device.writes.create('company', { name: 'Kept Ltd' })
    const gone = await device.writes.create('company', { name: 'Gone Ltd' })
    expect((await device.sync()).outcome).toBe('synced')

    // One sync carrying an add (with two contacts), an edit and a delete.
    const keptNow = await device.queries.getParent(kept.uid)
    const added = await device.writes.create('company', { name: 'Lost Answer Ltd' })
    await device.writes.create('contact', { name: 'Carol', companyId: added.id })
    await device.writes.create('contact', { name: 'Dan', companyId: added.id })
    await device.writes.update('company', kept.uid, { phone: '+44 1234' })
    await device.writes.remove('company', gone.uid)
    expect(keptNow?.id).toBeGreaterThan(0)

    proxy.setMode('drop-responses')
    const lost = await device.sync()
    expect(lost.outcome).toBe('failed')
    expect(lost.error).toMatchObject({ kind: 'network', retryable: true })
    expect(proxy.droppedResponses).toBe(1)
    // The server did commit it: the device does not know yet, and still holds the request in its outbox.
    const committed = await readServerRows(world.directUrl)
    expect(committed.companies.map((c) => c.name).sort()).toEqual(['Kept Ltd', 'Lost Answer Ltd'])
    expect(committed.contacts).toHaveLength(2)
    const [outbox] = await device.outbox()
    expect(outbox?.request.syncId).toBe(lost.syncId)
    expect(await device.pending()).toHaveLength(5)

    proxy.setMode('pass')
    const [retry, ...more] = await device.syncWithRetries()
    expect(more).toEqual([])
    expect(retry).toMatchObject({ outcome: 'synced', syncId: lost.syncId, resent: true, replayed: true })
    // The replay hands the device the ids the first attempt assigned: no duplicate add, no second edit.
    expect(Object.keys(retry!.idMaps.company ?? {})).toEqual([String(added.id)])

    const server = await readServerRows(world.directUrl)
    expect(server.companies.map((c) => [c.name, c.phone]).sort()).toEqual([
      ['Kept Ltd', '+44 1234'],
      ['Lost Answer Ltd', null],
    ])
    expect(server.contacts.map((c) => c.name).sort()).toEqual(['Carol', 'Dan'])
    const lostCompany = server.companies.find((c) => c.name === 'Lost Answer Ltd')
    expect(server.contacts.every((c) => c.companyId === lostCompany?.id)).toBe(true)
    expect(await differences(device, server)).toEqual([])
    // Exactly two requests carried these changes, both under one syncId.
    const carried = device.exchanges.filter((e) => e.request.syncId === lost.syncId)
    expect(carried).toHaveLength(2)
    expect(carried[1]?.response?.replayed).toBe(true)
  }, 120_000)
})

// Issue 14 point 6 under fault 1: two devices edit overlapping fields of the same records, and each one's answer is
// lost in turn while the other writes. Rules M3–M6, R9.
describe('fault: lost responses while two devices edit the same fields (issue 14)', () => {
  let world: FaultWorld
  let proxies: TcpProxy[]
  beforeAll(async () => {
    world = await createFaultWorld('lost-response-overlap')
    proxies = [
      await startTcpProxy({ port: world.server.port }),
      await startTcpProxy({ port: world.server.port }),
    ]
  })
  afterAll(async () => {
    for (const proxy of proxies ?? []) await proxy.close()
    await world?.close()
  })

  it('rules M3–M6, R9: a resent sync answered from its receipt reports the same overwrites; no acknowledged value is lost unless a later write to its field replaced it, and every replacement is told to both devices, once', async () => {
    const devices = proxies.map((proxy, i) =>
      world.device(`phone-${'ab'[i]}`, `http://127.0.0.1:${proxy.port}`),
    )
    const [a, b] = devices as [NodeDevice, NodeDevice]
    const shared = await shareRecords(a, b)
    const lostAt = new Map<string, string>()

    // Round 1 loses a's answer, round 2 b's; each time the other device writes the same fields before the resend.
    for (const [round, loser, winner, proxy] of [
      [1, a, b, proxies[0]!],
      [2, b, a, proxies[1]!],
    ] as const) {
      await editOverlapping(a, 'a', round, shared)
      await editOverlapping(b, 'b', round, shared)
      proxy.setMode('drop-responses')
      const lost = await loser.sync()
      proxy.setMode('pass')
      expect(lost).toMatchObject({ outcome: 'failed', error: { kind: 'network' } })
      lostAt.set(lost.syncId!, await committedCursor(world.directUrl))
      expect((await winner.sync()).outcome).toBe('synced')
      const [resent, ...more] = await loser.syncWithRetries()
      expect(more).toEqual([])
      expect(resent).toMatchObject({ outcome: 'synced', syncId: lost.syncId, replayed: true })
    }

    const { problems, rows, kept } = await settleAndJudge(world.directUrl, devices, lostAt)
    expect(problems).toEqual([])
    // The run was not vacuous: each device replaced the other's values and was replaced (M4 and M5 both ways).
    for (const list of kept) expect(new Set(list.map((o) => o.side))).toEqual(new Set(['mine', 'theirs']))
    // Fields only one device wrote survived every clash (M1): a's phone, b's email.
    expect(rows.companies.find((c) => c.uid === shared.companies[0]!.uid)?.phone).toBe('+44 100 2')
    expect(rows.contacts[0]?.email).toBe('b2@example.test')
  }, 180_000)
})

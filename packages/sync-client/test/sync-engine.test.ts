import { afterEach, describe, expect, it } from 'vitest'
import { createSyncEngine, type SyncProgress } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { SyncFailure, type Transport, type WireSyncRequest } from '../src/transport.ts'
import { emptyResponse, gate, makeDevice, spec } from './helpers.ts'

const devices: ReturnType<typeof makeDevice>[] = []
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

/** A device whose server is a script: each call gets the next answer (a body, or an error to throw). */
function scripted(...answers: (unknown | ((req: WireSyncRequest) => unknown))[]) {
  const d = makeDevice('engine')
  devices.push(d)
  const requests: WireSyncRequest[] = []
  const transport: Transport = async (request) => {
    requests.push(structuredClone(request))
    const next = answers.shift()
    const answer =
      typeof next === 'function' ? await (next as (r: WireSyncRequest) => unknown)(request) : next
    if (answer instanceof Error) throw answer
    return answer
  }
  const progress: SyncProgress[] = []
  const engine = createSyncEngine({
    db: d.db,
    spec,
    transport,
    lock: memorySyncLock(),
    onProgress: (p) => progress.push(p),
  })
  return { ...d, engine, requests, progress }
}

const snapshot = async (d: ReturnType<typeof makeDevice>) => ({
  parents: await d.db.parents.toArray(),
  children: await d.db.children.toArray(),
  meta: await d.db.meta.toArray(),
})

describe('OnSync engine', () => {
  it('an invalid response changes nothing local and keeps the outbox for a resend', async () => {
    const d = scripted({ ...emptyResponse(), companies: [{ id: 'x' }] }, emptyResponse('9'))
    await d.writes.create('company', { name: 'Acme' })
    const before = await snapshot(d)
    const report = await d.engine.sync('manual')
    expect(report).toMatchObject({ outcome: 'failed', error: { kind: 'invalid_response', retryable: true } })
    expect(report.error?.message).toMatch(/companies/)
    expect(await snapshot(d)).toEqual(before)
    expect(await d.db.outbox.count()).toBe(1)
    const retry = await d.engine.sync('retry')
    expect(retry).toMatchObject({ outcome: 'synced', resent: true, syncId: report.syncId })
    expect(d.requests[1]).toEqual(d.requests[0])
  })

  it('two concurrent syncs with one lock: the second is busy and sends nothing', async () => {
    const held = gate()
    const d = scripted(async () => {
      await held.opened
      return emptyResponse()
    })
    const first = d.engine.sync('manual')
    const second = await d.engine.sync('online')
    expect(second).toMatchObject({ outcome: 'busy', trigger: 'online', syncId: '' })
    held.open()
    expect((await first).outcome).toBe('synced')
    expect(d.requests).toHaveLength(1)
  })

  it('a retryable failure keeps the outbox; a sync never starts another one', async () => {
    const d = scripted(
      new SyncFailure('unavailable', 'down', { status: 503, retryAfterMs: 5000 }),
      new Error('socket hang up'),
    )
    await d.writes.create('company', { name: 'Acme' })
    const report = await d.engine.sync('manual')
    expect(report).toMatchObject({
      outcome: 'failed',
      error: { kind: 'unavailable', retryable: true, retryAfterMs: 5000 },
      sent: { companies: { added: 1, modified: 0, deleted: 0 } },
    })
    expect(d.requests).toHaveLength(1)
    const other = await d.engine.sync('retry')
    expect(other).toMatchObject({ outcome: 'failed', error: { kind: 'network', message: 'socket hang up' } })
    expect(d.requests[1]).toEqual(d.requests[0])
    expect(await d.db.outbox.count()).toBe(1)
  })

  it('a conflict (sync_id_reused) drops the outbox: the changes go again under a new syncId', async () => {
    const d = scripted(new SyncFailure('conflict', 'reused', { status: 409 }), emptyResponse())
    await d.writes.create('company', { name: 'Acme' })
    const refused = await d.engine.sync('manual')
    expect(refused).toMatchObject({ outcome: 'failed', error: { kind: 'conflict', retryable: false } })
    expect(await d.db.outbox.count()).toBe(0)
    const next = await d.engine.sync('manual')
    expect(next.syncId).not.toBe(refused.syncId)
    expect(next.sent.companies?.added).toBe(1)
  })

  it('rule P3: version_not_supported is not retried, marks nothing, and keeps every change pending for the update', async () => {
    const d = scripted(new SyncFailure('version_not_supported', 'update the app', { status: 400 }))
    await d.writes.create('company', { name: 'Acme' })
    const refused = await d.engine.sync('manual')
    expect(refused).toMatchObject({
      outcome: 'failed',
      error: { kind: 'version_not_supported', retryable: false },
    })
    expect(await d.db.outbox.count()).toBe(0)
    expect(await d.queries.pendingCount()).toBe(1)
    expect((await d.db.parents.toArray()).map((r) => r.syncError)).toEqual([null])
  })

  it('rules M1, M2, P1: a modify carries the protocol version, its base and only the fields changed since', async () => {
    const server = {
      ...emptyResponse('7'),
      companies: [
        {
          id: 5,
          uid: '0b8f6a52-3a6e-4f57-9d1c-2f0e8b7c6d5a',
          name: 'Acme',
          address: null,
          phone: '111',
          email: null,
          website: null,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          version: '6',
          isFromServer: true,
          isModified: false,
          isActive: true,
        },
      ],
    }
    const d = scripted(server, emptyResponse('8'))
    await d.engine.sync('manual')
    await d.writes.update('company', server.companies[0]!.uid, { name: 'Acme', phone: '222' })
    await d.writes.update('company', server.companies[0]!.uid, { email: 'a@example.com' })
    await d.engine.sync('manual')
    expect(d.requests[1]).toMatchObject({ protocolVersion: 3 })
    expect((d.requests[1]!.companies as { modified: unknown[] }).modified).toEqual([
      { id: 5, uid: server.companies[0]!.uid, base: '6', phone: '222', email: 'a@example.com' },
    ])
  })

  it('a 400 with zod-style array paths marks the named record; without details only the outbox goes', async () => {
    const d = scripted(
      new SyncFailure('bad_request', 'bad', {
        status: 400,
        details: [
          { path: ['contacts', 'added', 0, 'email'], message: 'Email is odd' },
          { path: 'cursor', message: 'x' },
        ],
      }),
      new SyncFailure('bad_request', 'too large', { status: 413 }),
    )
    const c = await d.writes.create('company', { name: 'Acme' })
    const k = await d.writes.create('contact', { name: 'Ann', companyId: c.id })
    await d.engine.sync('manual')
    expect((await d.queries.getChild(k.uid))?.syncError).toMatchObject({
      code: 'invalid',
      reason: 'email: Email is odd',
    })
    expect((await d.queries.getParent(c.uid))?.syncError).toBeNull()
    expect(await d.db.outbox.count()).toBe(0)
    const second = await d.engine.sync('manual')
    expect(second.sent).toEqual({
      companies: { added: 1, modified: 0, deleted: 0 },
      contacts: { added: 0, modified: 0, deleted: 0 },
    })
    expect(await d.db.outbox.count()).toBe(0)
  })

  it('an edit made while the 400 was in flight is not marked: the edit may be the fix', async () => {
    const reached = gate()
    const edited = gate()
    const d = scripted(async () => {
      reached.open()
      await edited.opened
      return new SyncFailure('bad_request', 'bad', {
        status: 400,
        details: [{ path: 'companies.added[0].name', message: 'Name is odd' }],
      })
    })
    const c = await d.writes.create('company', { name: 'Acme' })
    const syncing = d.engine.sync('manual')
    await reached.opened
    await d.writes.update('company', c.uid, { name: 'Acme fixed' })
    edited.open()
    expect((await syncing).error?.kind).toBe('bad_request')
    expect((await d.queries.getParent(c.uid))?.syncError).toBeNull()
  })

  it('reports progress through collecting, sending and downloading (full) or applying (delta)', async () => {
    const d = scripted(emptyResponse(), { ...emptyResponse('2'), mode: 'delta', page: null })
    await d.engine.sync('startup')
    expect(d.progress.map((p) => p.phase)).toEqual(['collecting', 'sending', 'downloading'])
    d.progress.length = 0
    await d.engine.sync('manual')
    expect(d.progress.map((p) => p.phase)).toEqual(['collecting', 'sending', 'applying', 'applying'])
  })

  it('a request holds only sendable changes: refused records and children of a refused new parent wait', async () => {
    const d = scripted(emptyResponse())
    const c = await d.writes.create('company', { name: 'Refused' })
    await d.writes.create('contact', { name: 'Waits', companyId: c.id })
    const ok = await d.writes.create('company', { name: 'Fine' })
    await d.db.parents.update(c.uid, { syncError: { code: 'invalid', reason: 'x', at: 'x' } })
    await d.engine.sync('manual')
    const request = d.requests[0] as unknown as Record<string, { added: { uid: string }[] }>
    expect(request.companies?.added.map((r) => r.uid)).toEqual([ok.uid])
    expect(request.contacts?.added).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import type { OneToManySpec, SyncResponse } from '@offline-sync/sync-protocol'
import { applyResponse, DELETED_ELSEWHERE } from '../src/apply-response.ts'
import type { OutboxEntry } from '../src/local-database.ts'
import { listSendable } from '../src/pending-changes.ts'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import type { WireSyncRequest } from '../src/transport.ts'
import { emptyResponse, spec } from './helpers.ts'
import { attentionDevices, putRecord, type AttentionDevice } from './attention-device.ts'

/*
 * A company deleted on the server by another device, while this device has contacts added or moved under it:
 * the apply keeps the company with its fields (a ghost parent) so "Re-create" needs no typing, in delta and full
 * mode alike; a deleted company without such contacts still goes.
 */
const device = attentionDevices('ghost')
type Device = AttentionDevice

const put = putRecord

/** Company 5 (clean, with a clean contact 6) and company 7 (no pending contacts); a contact added under 5. */
async function setUp(d: Device) {
  const ghost = await put(d, 'company', { id: 5, name: 'Acme', phone: '+1 555 0100' })
  const cascaded = await put(d, 'contact', { id: 6, companyId: 5 })
  const plain = await put(d, 'company', { id: 7, name: 'Plain' })
  const added = await put(d, 'contact', { id: -3, companyId: 5, rev: 1 })
  const entry: OutboxEntry = {
    key: 'current',
    request: { syncId: crypto.randomUUID() } as unknown as OutboxEntry['request'],
    sentRevs: { [added.uid]: 1 },
    createdAt: new Date().toISOString(),
  }
  await d.db.outbox.put(entry)
  return { ghost, cascaded, plain, added, entry }
}

function response(mode: 'full' | 'delta', addedUid: string) {
  return {
    ...emptyResponse('9'),
    mode,
    removed: mode === 'delta' ? { companies: [5, 7], contacts: [6] } : { companies: [], contacts: [] },
    rejected: [{ entity: 'contact', uid: addedUid, code: 'parent_not_found', reason: 'company 5 not found' }],
  } as unknown as SyncResponse<OneToManySpec>
}

describe.each(['delta', 'full'] as const)('a company deleted elsewhere, %s apply', (mode) => {
  it('keeps the company with its fields as a ghost that is not resent, and drops the one without contacts', async () => {
    const d = device()
    const { ghost, cascaded, plain, added, entry } = await setUp(d)
    expect(await applyResponse(d.db, spec, entry, response(mode, added.uid), () => undefined)).toBe(true)

    const kept = await d.db.parents.get(ghost.uid)
    expect(kept).toMatchObject({
      id: 5,
      name: 'Acme',
      phone: '+1 555 0100',
      isFromServer: true,
      isModified: false,
      isActive: true,
      syncError: { code: 'not_found', reason: DELETED_ELSEWHERE },
    })
    // Not in the `_pending` index, and refused: the engine's collectChanges never sends it by itself.
    expect(kept?._pending).toBeUndefined()
    expect(await d.db.parents.get(plain.uid)).toBeUndefined()
    expect(await d.db.children.get(cascaded.uid)).toBeUndefined()
    expect(await d.db.children.get(added.uid)).toMatchObject({ syncError: { code: 'parent_not_found' } })

    const entries = await d.actions.list()
    expect(entries).toEqual([
      {
        kind: 'orphans',
        parentId: 5,
        parent: expect.objectContaining({ uid: ghost.uid, name: 'Acme', phone: '+1 555 0100' }),
        children: [expect.objectContaining({ uid: added.uid })],
      },
    ])

    const back = await d.actions.recreateParent(ghost.uid)
    expect(back).toMatchObject({ uid: ghost.uid, name: 'Acme', isFromServer: false, syncError: null })
    expect(back.id).toBeLessThan(0)
    expect(await d.db.children.get(added.uid)).toMatchObject({ companyId: back.id, syncError: null })
    expect(await d.actions.list()).toEqual([])
  })
})

describe('ghost parents and the attention actions', () => {
  it('moving the contacts away drops the ghost: nothing of the user is left in it', async () => {
    const d = device()
    const { ghost, added, entry } = await setUp(d)
    const target = await put(d, 'company', { id: 11, name: 'Target' })
    await applyResponse(d.db, spec, entry, response('delta', added.uid), () => undefined)

    expect(await d.actions.moveChildren({ childUids: [added.uid] }, target.uid)).toBe(1)
    expect(await d.db.parents.get(ghost.uid)).toBeUndefined()
    expect(await d.actions.list()).toEqual([])
  })

  it('a ghost whose contacts were discarded one by one goes at the next apply', async () => {
    const d = device()
    const { ghost, added, entry } = await setUp(d)
    await applyResponse(d.db, spec, entry, response('delta', added.uid), () => undefined)
    await d.writes.discard('contact', added.uid)
    expect(await d.db.parents.get(ghost.uid)).toBeDefined()

    const next: OutboxEntry = { ...entry, request: { syncId: crypto.randomUUID() } as never, sentRevs: {} }
    await d.db.outbox.put(next)
    const empty = { ...emptyResponse('10'), mode: 'delta' } as unknown as SyncResponse<OneToManySpec>
    await applyResponse(d.db, spec, next, empty, () => undefined)
    expect(await d.db.parents.get(ghost.uid)).toBeUndefined()
    expect((await d.db.meta.get('ghostParents'))?.value).toEqual([])
  })

  it('a later delta leaves the ghost alone; a company refused after a local edit survives a move', async () => {
    const d = device()
    const { ghost, added, entry } = await setUp(d)
    await applyResponse(d.db, spec, entry, response('delta', added.uid), () => undefined)
    const next: OutboxEntry = { ...entry, request: { syncId: crypto.randomUUID() } as never, sentRevs: {} }
    await d.db.outbox.put(next)
    const empty = { ...emptyResponse('10'), mode: 'delta' } as unknown as SyncResponse<OneToManySpec>
    await applyResponse(d.db, spec, next, empty, () => undefined)
    expect(await d.db.parents.get(ghost.uid)).toMatchObject({ syncError: { code: 'not_found' } })

    const edited = await put(d, 'company', {
      id: 12,
      isModified: true,
      rev: 1,
      syncError: { code: 'not_found', reason: 'gone', at: '2026-01-01T00:00:00Z' },
    })
    const kid = await put(d, 'contact', { id: -20, companyId: 12, rev: 1 })
    const target = await put(d, 'company', { id: 13, name: 'Target' })
    await d.actions.moveChildren({ childUids: [kid.uid] }, target.uid)
    // The user's edit of a deleted company still needs a decision: it is not dropped.
    expect(await d.db.parents.get(edited.uid)).toMatchObject({ name: 'company 12' })
  })
})

describe('contacts added later under a ghost parent', () => {
  /** An engine whose server answers every request with an empty delta, recording what it was sent. */
  function engineOn(d: Device) {
    const requests: WireSyncRequest[] = []
    const engine = createSyncEngine({
      db: d.db,
      spec,
      lock: memorySyncLock(),
      transport: async (request) => {
        requests.push(structuredClone(request))
        return { ...emptyResponse(String(10 + requests.length)), mode: 'delta' }
      },
    })
    return { engine, requests }
  }

  it('wait with the company instead of being sent to be refused, and go with it once it is re-created', async () => {
    const d = device()
    const { ghost, added, entry } = await setUp(d)
    await applyResponse(d.db, spec, entry, response('delta', added.uid), () => undefined)
    const later = await d.writes.create('contact', { name: 'Later', companyId: 5 })

    // Neither the preview's list nor the next request carries it; the attention list shows it under the company.
    expect(await listSendable(d.db, spec)).toEqual({ parents: [], children: [] })
    const { engine, requests } = engineOn(d)
    expect(await engine.sync('manual')).toMatchObject({ outcome: 'synced' })
    expect(requests[0]?.contacts).toEqual({ added: [], modified: [], deleted: [] })
    expect(await d.db.children.get(later.uid)).toMatchObject({
      isFromServer: false,
      _pending: 1,
      syncError: null,
    })
    const [orphans] = await d.actions.list()
    expect(orphans).toMatchObject({ kind: 'orphans', parentId: 5 })
    expect(orphans?.kind === 'orphans' && orphans.children.map((c) => c.uid).sort()).toEqual(
      [added.uid, later.uid].sort(),
    )

    const back = await d.actions.recreateParent(ghost.uid)
    const sendable = await listSendable(d.db, spec)
    expect(sendable.parents.map((r) => r.uid)).toEqual([ghost.uid])
    expect(sendable.children.map((r) => r.uid).sort()).toEqual([added.uid, later.uid].sort())
    await engine.sync('manual')
    type Sent = { companies: { added: unknown[] }; contacts: { added: { uid: string; companyId: number }[] } }
    const sent = requests[1] as unknown as Sent
    expect(sent.companies.added).toEqual([expect.objectContaining({ uid: ghost.uid, id: back.id })])
    expect(sent.contacts.added.map((c) => [c.uid, c.companyId]).sort()).toEqual(
      [
        [added.uid, back.id],
        [later.uid, back.id],
      ].sort(),
    )
  })
})

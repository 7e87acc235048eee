import { afterEach, describe, expect, it } from 'vitest'
import type { OneToManySpec, SyncResponse } from '@offline-sync/sync-protocol'
import { applyResponse, REPLACE_CHUNK } from '../src/apply-response.ts'
import type { OutboxEntry } from '../src/local-database.ts'
import { emptyResponse, makeDevice, spec } from './helpers.ts'

const devices: ReturnType<typeof makeDevice>[] = []
const device = () => {
  const d = makeDevice('chunked')
  devices.push(d)
  return d
}
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const serverRecord = (id: number, fields: Record<string, unknown>) => ({
  id,
  uid: uid(id),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: '1',
  isFromServer: true,
  isModified: false,
  isActive: true,
  ...fields,
})

/** A full response with one company (id 1) and `contacts` contacts under it (ids 2…), ordered by id. */
function fullResponse(contacts: number, cursor = '7') {
  return {
    ...emptyResponse(cursor),
    companies: [
      serverRecord(1, { name: 'Server Co', address: null, phone: null, email: null, website: null }),
    ],
    contacts: Array.from({ length: contacts }, (_, i) =>
      serverRecord(i + 2, {
        name: `Contact ${i + 2}`,
        companyId: 1,
        jobTitle: null,
        email: null,
        phone: null,
      }),
    ),
  } as unknown as SyncResponse<OneToManySpec>
}

/** Parks a request in the outbox, as the engine does before sending it. */
async function parkRequest(d: ReturnType<typeof makeDevice>): Promise<OutboxEntry> {
  const entry: OutboxEntry = {
    key: 'current',
    request: { deviceId: uid(900), syncId: uid(901), cursor: null } as unknown as OutboxEntry['request'],
    sentRevs: {},
    createdAt: new Date().toISOString(),
  }
  await d.db.outbox.put(entry)
  return entry
}

const cursorOf = async (d: ReturnType<typeof makeDevice>) => (await d.db.meta.get('cursor'))?.value ?? null

describe('full replace in chunks', () => {
  it('writes in transactions of REPLACE_CHUNK records; edits made between them survive; stale records go', async () => {
    const d = device()
    const total = 2 * REPLACE_CHUNK + 500
    // Before: a server record the server no longer has, a local add not sent yet, and the stored cursor.
    await d.db.parents.put({
      ...serverRecord(99_999, { name: 'Gone on server' }),
      rev: 0,
      syncError: null,
      _sort: 'gone on server',
    })
    const local = await d.writes.create('company', { name: 'Made offline' })
    await d.db.meta.put({ key: 'cursor', value: '3' })
    const entry = await parkRequest(d)

    const dones: number[] = []
    const midway: Promise<unknown>[] = []
    const applied = await applyResponse(d.db, spec, entry, fullResponse(total), (done) => {
      dones.push(done)
      // After the first chunk of contacts: the app reads and writes while the replace goes on.
      if (done === 1 + REPLACE_CHUNK) {
        midway.push(
          (async () => {
            const cursor = await cursorOf(d) // cleared first: a crash from here on makes the next sync full
            const first = await d.queries.listChildren(1)
            const edited = await d.writes.update('contact', uid(2), { name: 'Edited during the replace' })
            const added = await d.writes.create('contact', { name: 'Added during the replace', companyId: 1 })
            return { cursor, seen: first.length, edited, added }
          })(),
        )
      }
    })
    expect(applied).toBe(true)
    // One progress report per chunk: the company, then the contacts 2,000 at a time.
    expect(dones).toEqual([1, 1 + REPLACE_CHUNK, 1 + 2 * REPLACE_CHUNK, 1 + total])
    const [during] = (await Promise.all(midway)) as {
      cursor: unknown
      seen: number
      added: { uid: string }
    }[]
    expect(during!.cursor).toBeNull()
    expect(during!.seen).toBeGreaterThanOrEqual(REPLACE_CHUNK)

    expect(await d.db.children.count()).toBe(total + 1)
    expect(await d.db.children.get(uid(2))).toMatchObject({
      name: 'Edited during the replace',
      isModified: true,
      _pending: 1,
    })
    expect(await d.db.children.get(during!.added.uid)).toMatchObject({ isFromServer: false, _pending: 1 })
    expect(await d.db.children.get(uid(total + 1))).toMatchObject({ name: `Contact ${total + 1}`, rev: 0 })
    expect(await d.db.parents.get(uid(99_999))).toBeUndefined()
    expect(await d.db.parents.get(local.uid)).toMatchObject({ name: 'Made offline', _pending: 1 })
    expect(await cursorOf(d)).toBe('7')
    expect(await d.db.outbox.get('current')).toBeUndefined()
  })

  it('a replace cut off half-way leaves pending changes intact and no cursor; applying it again completes it', async () => {
    const d = device()
    const total = 2 * REPLACE_CHUNK + 10
    await d.db.parents.put({
      ...serverRecord(99_999, { name: 'Gone on server' }),
      rev: 0,
      syncError: null,
      _sort: 'gone on server',
    })
    const local = await d.writes.create('company', { name: 'Made offline' })
    await d.db.meta.put({ key: 'cursor', value: '3' })
    const entry = await parkRequest(d)

    const crash = new Error('the tab was closed')
    await expect(
      applyResponse(d.db, spec, entry, fullResponse(total), (done) => {
        if (done > REPLACE_CHUNK) throw crash
      }),
    ).rejects.toBe(crash)
    // Usable: part of the new records, the old ones, the pending add; the next sync is full and resends.
    expect(await cursorOf(d)).toBeNull()
    expect(await d.db.outbox.get('current')).toBeDefined()
    expect(await d.db.children.count()).toBe(REPLACE_CHUNK)
    expect(await d.db.parents.get(local.uid)).toMatchObject({ _pending: 1 })
    expect(await d.queries.pendingCount()).toBe(1)

    expect(await applyResponse(d.db, spec, entry, fullResponse(total, '8'), () => undefined)).toBe(true)
    expect(await d.db.children.count()).toBe(total)
    expect((await d.db.parents.toArray()).map((r) => r.name).sort()).toEqual(['Made offline', 'Server Co'])
    expect(await cursorOf(d)).toBe('8')
  })

  it('a server whose ids restarted (database reset) replaces local records holding the same ids', async () => {
    const d = device()
    await d.db.children.put({
      ...serverRecord(2, { name: 'Before the reset', companyId: 1 }),
      uid: uid(7_777),
      rev: 0,
      syncError: null,
      _sort: 'before the reset',
    })
    const entry = await parkRequest(d)
    expect(await applyResponse(d.db, spec, entry, fullResponse(3), () => undefined)).toBe(true)
    expect(await d.db.children.get(uid(7_777))).toBeUndefined()
    expect((await d.db.children.where('id').equals(2).first())?.uid).toBe(uid(2))
  })

  it('stops, changing nothing more, when the outbox no longer holds the request', async () => {
    const d = device()
    const entry = await parkRequest(d)
    const applied = await applyResponse(d.db, spec, entry, fullResponse(2 * REPLACE_CHUNK), (done) => {
      if (done === 1) void d.db.outbox.delete('current')
    })
    expect(applied).toBe(false)
    expect(await d.db.children.count()).toBeLessThan(2 * REPLACE_CHUNK)
    expect(await cursorOf(d)).toBeNull()
  })
})

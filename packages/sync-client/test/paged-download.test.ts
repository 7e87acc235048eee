import { afterEach, describe, expect, it } from 'vitest'
import { createLocalSearch } from '../src/search-records.ts'
import { createSyncEngine, type SyncProgress, type SyncReport } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { SyncFailure, type Transport, type WireSyncRequest } from '../src/transport.ts'
import { emptyResponse, makeDevice, spec } from './helpers.ts'

/*
 * The device side of a paged full download (rules G5–G9, G10–G16) against a scripted server that answers
 * a full read in pages of a fixed snapshot, so every test can cut, hold or change the download where it wants.
 */

const devices: ReturnType<typeof makeDevice>[] = []
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const at = '2026-12-01T00:00:00.000Z'
const meta = (version: string) => ({
  createdAt: at,
  updatedAt: at,
  version,
  isFromServer: true as const,
  isModified: false as const,
  isActive: true as const,
})
const company = (id: number, name = `Company ${String(id).padStart(4, '0')}`, version = '5') => ({
  id,
  uid: uid(id),
  name,
  address: null,
  phone: null,
  email: null,
  website: null,
  ...meta(version),
})
const contact = (id: number, companyId: number, name = `Contact ${id}`, version = '5') => ({
  id,
  uid: uid(id),
  companyId,
  name,
  jobTitle: null,
  email: null,
  phone: null,
  ...meta(version),
})
type Company = ReturnType<typeof company>
type Contact = ReturnType<typeof contact>

/** `companies` companies (ids 1…) with `perCompany` contacts each (ids 10,001…). */
function dataset(companies: number, perCompany: number) {
  const parents = Array.from({ length: companies }, (_, i) => company(i + 1))
  const children = parents.flatMap((p, i) =>
    Array.from({ length: perCompany }, (_, j) => contact(10_001 + i * perCompany + j, p.id)),
  )
  return { parents, children }
}

/**
 * A server that answers a full read in pages of `pageSize` records (parents first, then children) of the data
 * it holds at `snapshot`, with the token `<snapshot>-<offset>`; a token of an older snapshot gets the first page
 * of a new download (rule G6). A delta request gets `delta(request)`.
 */
function pagedServer(options: {
  data: { parents: Company[]; children: Contact[] }
  snapshot: string
  pageSize: number
  delta?: (request: WireSyncRequest) => unknown
  /** The cursors the server can no longer serve (rule R15): a request carrying one gets a full download. */
  pruned?: boolean
}) {
  const server = { ...options }
  const page = (offset: number) => {
    const all = [...server.data.parents, ...server.data.children]
    const slice = all.slice(offset, offset + server.pageSize)
    const end = offset + slice.length
    return {
      ...emptyResponse(server.snapshot),
      companies: slice.filter((r) => !('companyId' in r)),
      contacts: slice.filter((r) => 'companyId' in r),
      page: {
        next: end < all.length ? `${server.snapshot}-${end}` : null,
        total: { companies: server.data.parents.length, contacts: server.data.children.length },
      },
    }
  }
  const answer = (request: WireSyncRequest): unknown => {
    if (request.cursor && !server.pruned)
      return server.delta ? server.delta(request) : { ...emptyDelta(request.cursor) }
    const [snapshot, offset] = (request.page ?? '').split('-')
    return page(snapshot === server.snapshot ? Number(offset) : 0)
  }
  return Object.assign(server, { answer })
}

function emptyDelta(cursor: string) {
  return { ...emptyResponse(cursor), mode: 'delta', page: null }
}

/**
 * A device talking to `answer` through a transport that records every request and lets a test act before an
 * answer is delivered (`hold`), or cut the connection (`cut`: throw instead of asking the server).
 */
function device(answer: (request: WireSyncRequest) => unknown, existing?: ReturnType<typeof makeDevice>) {
  const d = existing ?? makeDevice('paged')
  if (!existing) devices.push(d)
  const requests: WireSyncRequest[] = []
  const hooks: {
    hold?: (request: WireSyncRequest, index: number) => Promise<void> | void
    cut?: (request: WireSyncRequest, index: number) => boolean
  } = {}
  const transport: Transport = async (request) => {
    const index = requests.push(structuredClone(request)) - 1
    if (hooks.cut?.(request, index)) throw new SyncFailure('network', 'connection lost')
    const body = JSON.parse(JSON.stringify(answer(request))) as unknown
    await hooks.hold?.(request, index)
    return body
  }
  const progress: SyncProgress[] = []
  const reports: SyncReport[] = []
  const engine = createSyncEngine({
    db: d.db,
    spec,
    transport,
    lock: memorySyncLock(),
    onProgress: (p) => progress.push(p),
    onSyncFinished: (r) => void reports.push(r),
  })
  return { ...d, engine, requests, hooks, progress, reports, search: createLocalSearch(d.db, spec) }
}

const meta_ = async (d: ReturnType<typeof makeDevice>, key: 'cursor' | 'download') =>
  (await d.db.meta.get(key))?.value ?? null
/** The server's answers, except that the first page request `refused(page)` picks is refused as a bad token (G4). */
function refusingOnce(
  answer: (request: WireSyncRequest) => unknown,
  refused: (page: string | null | undefined) => boolean,
): (request: WireSyncRequest) => unknown {
  let refuse = true
  return (request) => {
    if (refuse && refused(request.page)) {
      refuse = false
      throw new SyncFailure('bad_request', 'page must be a page token returned by the server', {
        status: 400,
      })
    }
    return answer(request)
  }
}

/** Resolves once the engine parked the request for page `token`, that is once the page before it is stored. */
async function parked(d: ReturnType<typeof makeDevice>, token: string): Promise<void> {
  while ((await d.db.outbox.get('current'))?.request.page !== token)
    await new Promise((resolve) => setTimeout(resolve, 0))
}
const changeCount = (request: WireSyncRequest) =>
  ['companies', 'contacts']
    .flatMap((plural) => {
      const set = request[plural] as Record<string, unknown[]>
      return [set.added, set.modified, set.deleted]
    })
    .reduce((n, list) => n + (list?.length ?? 0), 0)

describe('paged full download (device)', () => {
  it('rules G1, G9, G10: each page is stored as it arrives, in list order, searchable, with progress; the cursor comes with the last', async () => {
    const server = pagedServer({ data: dataset(30, 3), snapshot: '40', pageSize: 25 })
    const d = device(server.answer)
    const seen: { names: string[]; found: number; cursor: unknown; download: unknown }[] = []
    d.hooks.hold = async (request) => {
      // Before the second page is delivered: what the app can read right now. Its request goes out while the
      // first page is stored; it is parked once that page is in.
      if (request.page === '40-25') {
        await parked(d, '40-25')
        seen.push({
          names: (await d.queries.listParents({ limit: 3 })).map((r) => String(r.name)),
          found: (await d.search.search('company 0007', { limit: 5 })).parents.records.length,
          cursor: await meta_(d, 'cursor'),
          download: await meta_(d, 'download'),
        })
      }
    }
    const report = await d.engine.sync('startup')
    expect(report).toMatchObject({
      outcome: 'synced',
      mode: 'full',
      received: { companies: 30, contacts: 90 },
    })
    expect(seen).toEqual([
      {
        names: ['Company 0001', 'Company 0002', 'Company 0003'],
        found: 1,
        cursor: null,
        download: expect.objectContaining({ snapshot: '40', next: '40-25', stored: 25, total: 120 }),
      },
    ])
    // Five requests: page one without a token, then the tokens at 25 … 100; none carries a cursor.
    expect(d.requests.map((r) => [r.cursor ?? null, r.page ?? null])).toEqual([
      [null, null],
      [null, '40-25'],
      [null, '40-50'],
      [null, '40-75'],
      [null, '40-100'],
    ])
    expect(await d.db.parents.count()).toBe(30)
    expect(await d.db.children.count()).toBe(90)
    expect((await d.search.search('contact 10090', { limit: 5 })).children.records).toHaveLength(1)
    expect(await meta_(d, 'cursor')).toBe('40')
    expect(await meta_(d, 'download')).toBeNull()
    expect(await d.db.outbox.count()).toBe(0)
    // Progress: records stored of the download's total, page by page.
    const downloading = d.progress.filter((p) => p.phase === 'downloading' && p.done !== undefined)
    expect(downloading.at(-1)).toEqual({ phase: 'downloading', done: 120, total: 120 })
    expect(downloading.map((p) => p.done)).toContain(25)
    expect(downloading.every((p) => p.total === 120)).toBe(true)
    // Rule G5: a download of several pages ends at a snapshot older than now: a catch-up is owed at once.
    expect(report.more).toBe(true)
    await d.engine.sync('manual')
    expect(d.requests.at(-1)).toMatchObject({ cursor: '40' })
    expect(d.requests.at(-1)?.page).toBeUndefined()
  })

  it('rules G9, G11: a download cut mid-way resumes, after the app is closed, from the stored token, not from page one', async () => {
    const server = pagedServer({ data: dataset(10, 4), snapshot: '12', pageSize: 10 })
    const first = device(server.answer)
    first.hooks.cut = (request) => request.page === '12-30'
    const cut = await first.engine.sync('startup')
    expect(cut).toMatchObject({
      outcome: 'failed',
      error: { kind: 'network' },
      received: { companies: 10, contacts: 20 },
    })
    expect(await meta_(first, 'cursor')).toBeNull()
    expect(await first.db.children.count()).toBe(20)

    // A new engine on the same database: the app was closed and opened again.
    const second = device(server.answer, first)
    const resumed = await second.engine.sync('startup')
    expect(resumed).toMatchObject({ outcome: 'synced', received: { companies: 0, contacts: 20 } })
    expect(second.requests[0]).toMatchObject({ cursor: null, page: '12-30' })
    expect(second.requests.map((r) => r.page)).toEqual(['12-30', '12-40'])
    // Resumed progress counts what the earlier sync stored.
    expect(second.progress.find((p) => p.phase === 'downloading')).toEqual({
      phase: 'downloading',
      done: 30,
      total: 50,
    })
    expect(await second.db.parents.count()).toBe(10)
    expect(await second.db.children.count()).toBe(40)
    expect(await meta_(second, 'cursor')).toBe('12')
  })

  it('rules G9, G11, G16: changes made during a download wait (not sent, not lost), then go with the catch-up delta', async () => {
    const server = pagedServer({ data: dataset(6, 2), snapshot: '9', pageSize: 4 })
    const d = device(server.answer)
    let made: { added: string; edited: string } | undefined
    d.hooks.hold = async (request) => {
      if (request.page !== '9-8' || made) return
      // Between pages: an add, and an edit of a company the first page stored.
      const added = await d.writes.create('company', { name: 'Made during the download' })
      await d.writes.update('company', uid(2), { phone: '+1 555 0102' })
      made = { added: added.uid, edited: uid(2) }
    }
    const report = await d.engine.sync('startup')
    expect(report.outcome).toBe('synced')
    // No page request carried a change.
    expect(d.requests.map(changeCount)).toEqual([0, 0, 0, 0, 0])
    expect(await d.db.parents.get(made!.added)).toMatchObject({
      name: 'Made during the download',
      _pending: 1,
    })
    expect(await d.db.parents.get(made!.edited)).toMatchObject({
      name: 'Company 0002',
      phone: '+1 555 0102',
      isModified: true,
      changed: ['phone'],
    })
    expect(await d.queries.pendingCount()).toBe(2)

    server.delta = () => ({ ...emptyDelta('11'), companyIdMap: { '-1': 77 } })
    const catchUp = await d.engine.sync('manual')
    expect(catchUp.sent.companies).toEqual({ added: 1, modified: 1, deleted: 0 })
    expect(d.requests.at(-1)).toMatchObject({ cursor: '9' })
  })

  it('rules G9, G13, G14: a re-download over older data removes, at its end, the server records it did not bring that are not pending; ghosts stay', async () => {
    // Before: a full sync of 8 companies with 1 contact each.
    const before = dataset(8, 1)
    const server = pagedServer({ data: before, snapshot: '20', pageSize: 100 })
    const d = device(server.answer)
    await d.engine.sync('startup')
    expect(await d.db.parents.count()).toBe(8)
    // On the server since: companies 3, 4 and 5 deleted (with their contacts), 1 and 6 renamed, and the cursor
    // pruned, so the next sync is answered with a full download.
    const after = {
      parents: [
        company(1, 'Company 0001 renamed', '30'),
        company(2),
        company(6, 'Company 0006 renamed', '30'),
        ...before.parents.filter((p) => p.id > 6),
      ],
      children: before.children.filter((c) => c.companyId > 5 || c.companyId <= 2),
    }
    Object.assign(server, { data: after, snapshot: '31', pageSize: 3, pruned: true })
    const midway: number[] = []
    let orphan = { uid: '' }
    d.hooks.hold = async (request) => {
      if (request.page === '31-3') midway.push(await d.db.parents.count())
      if (request.cursor !== '20') return
      // Here, while the first page is on its way: company 3 and 6 edited, a contact added under company 5.
      await d.writes.update('company', uid(3), { phone: '+1 555 0103' })
      await d.writes.update('company', uid(6), { phone: '+1 555 0106' })
      orphan = await d.writes.create('contact', { name: 'Added under 5', companyId: 5 })
    }
    const report = await d.engine.sync('manual')
    expect(report.outcome).toBe('synced')
    // Nothing removed before the last page: lists keep their rows during the download.
    expect(midway).toEqual([8])
    const names = (await d.db.parents.toArray()).map((r) => r.name).sort()
    // 3 is pending (kept, rebased), 5 is a ghost for the contact added under it, 4 is gone.
    expect(names).toEqual([
      'Company 0001 renamed',
      'Company 0002',
      'Company 0003',
      'Company 0005',
      'Company 0006 renamed',
      'Company 0007',
      'Company 0008',
    ])
    expect(await d.db.parents.get(uid(5))).toMatchObject({ syncError: { code: 'not_found' } })
    expect(await d.db.parents.get(uid(3))).toMatchObject({ phone: '+1 555 0103', _pending: 1 })
    // Rule R17: the edit of 6 is rebased onto the download's newer record: its own field kept, the rest and the
    // base the server's.
    expect(await d.db.parents.get(uid(6))).toMatchObject({ phone: '+1 555 0106', version: '30', _pending: 1 })
    expect(await d.db.children.get(orphan.uid)).toMatchObject({ _pending: 1 })
    expect((await d.db.children.toArray()).map((r) => r.companyId).sort()).toEqual([1, 2, 5, 6, 7, 8])
    expect(await meta_(d, 'cursor')).toBe('31')
  })

  it('rules G6, G14: a page of another snapshot starts the download anew; the rows of the abandoned one it does not bring go at its end', async () => {
    const server = pagedServer({ data: dataset(6, 0), snapshot: '50', pageSize: 2 })
    const d = device(server.answer)
    d.hooks.hold = (request) => {
      // The server pruned past the snapshot after page one: it answers the first page of a new download.
      if (request.page === '50-2') {
        Object.assign(server, {
          snapshot: '60',
          data: { parents: server.data.parents.slice(1), children: [] },
        })
      }
    }
    // The answer to 50-2 was built before the switch: a page of snapshot 50; 50-4 gets the first page of 60.
    const report = await d.engine.sync('startup')
    expect(report.outcome).toBe('synced')
    expect(d.requests.map((r) => r.page ?? null)).toEqual([null, '50-2', '50-4', '60-2', '60-4'])
    expect((await d.db.parents.toArray()).map((r) => r.id).sort()).toEqual([2, 3, 4, 5, 6])
    expect(await meta_(d, 'cursor')).toBe('60')
  })

  it('rule G12: a page token the server refuses (400) ends the download; the next sync starts a new one from page one', async () => {
    const server = pagedServer({ data: dataset(4, 0), snapshot: '7', pageSize: 2 })
    const refusing = device(refusingOnce(server.answer, (page) => page != null))
    const failed = await refusing.engine.sync('startup')
    expect(failed).toMatchObject({ outcome: 'failed', error: { kind: 'bad_request' } })
    expect(await meta_(refusing, 'download')).toBeNull()
    expect(await refusing.db.parents.count()).toBe(2)
    const again = await refusing.engine.sync('manual')
    expect(again.outcome).toBe('synced')
    expect(refusing.requests.map((r) => r.page ?? null)).toEqual([null, '7-2', null, '7-2'])
    expect(await refusing.db.parents.count()).toBe(4)
  })
})

describe('the next page asked for while this one is stored (device)', () => {
  it('rules G9, G11: a page request goes out before the page before it is stored, and its answer waits for it to be parked', async () => {
    const server = pagedServer({ data: dataset(10, 3), snapshot: '21', pageSize: 10 })
    const d = device(server.answer)
    const atRequest: { page: string | null; stored: number | undefined; parked: string | null }[] = []
    d.hooks.hold = async (request) => {
      // Synchronously, as the request goes out: how far the progress (records stored) had come.
      const stored = d.progress.filter((p) => p.phase === 'downloading').at(-1)?.done
      atRequest.push({ page: request.page ?? null, stored, parked: null })
      if (!request.page) return
      await parked(d, request.page)
      atRequest.at(-1)!.parked = request.page
    }
    const report = await d.engine.sync('startup')
    expect(report).toMatchObject({ outcome: 'synced', received: { companies: 10, contacts: 30 } })
    // Page 21-20 was asked for when only the first page (10 records) was stored: the second was on its way in.
    expect(atRequest).toEqual([
      { page: null, stored: undefined, parked: null },
      { page: '21-10', stored: undefined, parked: '21-10' },
      { page: '21-20', stored: 10, parked: '21-20' },
      { page: '21-30', stored: 20, parked: '21-30' },
    ])
    expect(await d.db.outbox.count()).toBe(0)
    expect(await meta_(d, 'cursor')).toBe('21')
  })

  it('rules G9, G11: a cut after page N with page N+1 under way resumes from N+1’s token and stores each row once', async () => {
    const server = pagedServer({ data: dataset(10, 4), snapshot: '12', pageSize: 10 })
    const first = device(server.answer)
    // The connection drops while page 12-20's answer is on its way, i.e. while page 12-10 is stored.
    first.hooks.hold = async (request) => {
      if (request.page !== '12-20') return
      await parked(first, '12-20')
      throw new SyncFailure('network', 'connection lost')
    }
    const cut = await first.engine.sync('startup')
    expect(cut).toMatchObject({ outcome: 'failed', error: { kind: 'network' } })
    expect(cut.received).toEqual({ companies: 10, contacts: 10 })
    expect(await meta_(first, 'download')).toMatchObject({ next: '12-20', stored: 20, total: 50 })
    // A network failure keeps the parked request: the next sync asks for the same page again.
    expect((await first.db.outbox.get('current'))?.request.page).toBe('12-20')

    const second = device(server.answer, first)
    const resumed = await second.engine.sync('startup')
    expect(resumed).toMatchObject({ outcome: 'synced', received: { companies: 0, contacts: 30 } })
    expect(second.requests.map((r) => r.page)).toEqual(['12-20', '12-30', '12-40'])
    // Each row stored once: the two syncs received 50 records in all, the 50 of the download.
    expect(cut.received.contacts! + resumed.received.contacts! + cut.received.companies!).toBe(50)
    expect(await second.db.parents.count()).toBe(10)
    expect(await second.db.children.count()).toBe(40)
    expect(await meta_(second, 'cursor')).toBe('12')
  })

  it('rules G4, G12: a prefetched page request refused (400) ends the download after the page stored meanwhile; the next sync starts from page one', async () => {
    const server = pagedServer({ data: dataset(6, 0), snapshot: '7', pageSize: 2 })
    const d = device(refusingOnce(server.answer, (page) => page === '7-4'))
    const failed = await d.engine.sync('startup')
    expect(failed).toMatchObject({ outcome: 'failed', error: { kind: 'bad_request' } })
    // Page 7-2 was stored while 7-4 was refused; then the download's state and the parked request were dropped.
    expect(failed.received).toEqual({ companies: 4, contacts: 0 })
    expect(await d.db.parents.count()).toBe(4)
    expect(await meta_(d, 'download')).toBeNull()
    expect(await d.db.outbox.count()).toBe(0)
    const again = await d.engine.sync('manual')
    expect(again).toMatchObject({ outcome: 'synced', received: { companies: 6, contacts: 0 } })
    expect(d.requests.map((r) => r.page ?? null)).toEqual([null, '7-2', '7-4', null, '7-2', '7-4'])
    expect(await d.db.parents.count()).toBe(6)
    expect(await meta_(d, 'cursor')).toBe('7')
  })

  it('rules G9, G13: a local edit made while a page is stored and the next one prefetched survives', async () => {
    const server = pagedServer({ data: dataset(8, 0), snapshot: '15', pageSize: 3 })
    const d = device(server.answer)
    let made = ''
    d.hooks.hold = async (request) => {
      // The second page (companies 4–6) is being stored now and the third asked for: an edit of a record of the
      // first page, and an add.
      if (request.page !== '15-6' || made) return
      await d.writes.update('company', uid(3), { phone: '+1 555 0103' })
      made = (await d.writes.create('company', { name: 'Made meanwhile' })).uid
    }
    const report = await d.engine.sync('startup')
    expect(report).toMatchObject({ outcome: 'synced', received: { companies: 8, contacts: 0 } })
    expect(await d.db.parents.get(uid(3))).toMatchObject({
      name: 'Company 0003',
      phone: '+1 555 0103',
      version: '5',
      isModified: true,
      _pending: 1,
    })
    expect(await d.db.parents.get(made)).toMatchObject({ name: 'Made meanwhile', _pending: 1 })
    expect(d.requests.map(changeCount)).toEqual([0, 0, 0])
    expect(await d.queries.pendingCount()).toBe(2)
    const catchUp = await d.engine.sync('manual')
    expect(catchUp.sent.companies).toEqual({ added: 1, modified: 1, deleted: 0 })
  })

  it('the outbox changed while a page was stored: the sync stops and the prefetched answer is dropped', async () => {
    const server = pagedServer({ data: dataset(6, 0), snapshot: '30', pageSize: 2 })
    const d = device(server.answer)
    d.hooks.hold = async (request) => {
      // Once 30-2 is parked, before its answer is delivered: the outbox is cleared (a sign-out, say).
      if (request.page !== '30-2') return
      await parked(d, '30-2')
      await d.db.outbox.delete('current')
    }
    const report = await d.engine.sync('startup')
    expect(report).toMatchObject({ outcome: 'failed', error: { kind: 'conflict' } })
    // 30-4 was asked for while 30-2 was (not) stored; neither answer was stored.
    expect(d.requests.map((r) => r.page ?? null)).toEqual([null, '30-2', '30-4'])
    expect(report.received).toEqual({ companies: 2, contacts: 0 })
    expect(await d.db.parents.count()).toBe(2)
    expect(await d.db.outbox.count()).toBe(0)
    expect(await meta_(d, 'download')).toMatchObject({ next: '30-2', stored: 2 })
  })

  it('rule G10: progress stays monotonic with a page always under way, and ends at the total', async () => {
    const server = pagedServer({ data: dataset(20, 4), snapshot: '44', pageSize: 9 })
    const d = device(server.answer)
    await d.engine.sync('startup')
    const downloading = d.progress.filter((p) => p.phase === 'downloading')
    const done = downloading.map((p) => p.done ?? 0)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(new Set(downloading.map((p) => p.total))).toEqual(new Set([100]))
    expect(done.at(-1)).toBe(100)
  })
})

describe('write acknowledgements (device)', () => {
  it('rules G7, G15: a delta answer acknowledges the device own writes: ids and server meta set, fields not rewritten, later edits kept', async () => {
    const server = pagedServer({
      data: { parents: [company(1, 'Acme', '3')], children: [] },
      snapshot: '3',
      pageSize: 10,
    })
    const d = device(server.answer)
    await d.engine.sync('startup')
    await d.writes.update('company', uid(1), { phone: '+1 555 0100' })
    const added = await d.writes.create('contact', { name: 'Ada', companyId: 1 })
    let editedInFlight = false
    server.delta = (request) => {
      const contacts = request.contacts as { added: { id: number; uid: string }[] }
      return {
        ...emptyDelta('8'),
        contactIdMap: { [String(contacts.added[0]!.id)]: 501 },
        written: {
          companies: [
            { id: 1, uid: uid(1), createdAt: at, updatedAt: '2026-12-02T10:00:00.000Z', version: '8' },
          ],
          contacts: [
            {
              id: 501,
              uid: added.uid,
              createdAt: '2026-12-02T10:00:00.000Z',
              updatedAt: '2026-12-02T10:00:00.000Z',
              version: '8',
            },
          ],
        },
      }
    }
    d.hooks.hold = async (request) => {
      if (!request.cursor || editedInFlight) return
      editedInFlight = true
      // Edited again while the sync is in flight: it stays pending, on the acknowledged base.
      await d.writes.update('contact', added.uid, { jobTitle: 'Engineer' })
    }
    const report = await d.engine.sync('manual')
    expect(report).toMatchObject({
      outcome: 'synced',
      mode: 'delta',
      received: { companies: 0, contacts: 0 },
    })
    expect(await d.db.parents.get(uid(1))).toMatchObject({
      name: 'Acme',
      phone: '+1 555 0100',
      version: '8',
      updatedAt: '2026-12-02T10:00:00.000Z',
      isFromServer: true,
      isModified: false,
    })
    expect((await d.db.parents.get(uid(1)))?._pending).toBeUndefined()
    expect(await d.db.children.get(added.uid)).toMatchObject({
      id: 501,
      name: 'Ada',
      jobTitle: 'Engineer',
      version: '8',
      isFromServer: true,
      isModified: true,
      _pending: 1,
    })
  })

  it('rules G8, G13: a writing sync without a cursor gets its acknowledgements and the first page token, then downloads the pages', async () => {
    const data = dataset(3, 1)
    const server = pagedServer({ data, snapshot: '6', pageSize: 2 })
    const d = device((request) => {
      if (changeCount(request) === 0) return server.answer(request)
      const companies = request.companies as { added: { id: number; uid: string }[] }
      const mine = companies.added[0]!
      // The server applied the add (id 4) at version 6 and pinned the download there: the add is in its pages.
      server.data = { ...data, parents: [...data.parents, company(4, 'Made offline', '6')] }
      Object.assign(server.data.parents[3]!, { uid: mine.uid })
      return {
        ...emptyResponse('6'),
        companyIdMap: { [String(mine.id)]: 4 },
        written: {
          companies: [{ id: 4, uid: mine.uid, createdAt: at, updatedAt: at, version: '6' }],
          contacts: [],
        },
        page: { next: '6-0', total: { companies: 4, contacts: 3 } },
      }
    })
    const made = await d.writes.create('company', { name: 'Made offline' })
    const report = await d.engine.sync('startup')
    expect(report).toMatchObject({ outcome: 'synced', idMaps: { company: { '-1': 4 } }, more: true })
    expect(d.requests.map((r) => [changeCount(r), r.page ?? null])).toEqual([
      [1, null],
      [0, '6-0'],
      [0, '6-2'],
      [0, '6-4'],
      [0, '6-6'],
    ])
    expect(await d.db.parents.get(made.uid)).toMatchObject({
      id: 4,
      name: 'Made offline',
      version: '6',
      isFromServer: true,
    })
    expect(await d.db.parents.count()).toBe(4)
    expect(await d.db.children.count()).toBe(3)
    expect(await d.queries.pendingCount()).toBe(0)
    expect(await meta_(d, 'cursor')).toBe('6')
  })
})

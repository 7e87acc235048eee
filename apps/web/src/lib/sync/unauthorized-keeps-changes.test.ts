import { afterEach, describe, expect, it } from 'vitest'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { companiesContacts } from '@offline-sync/sync-protocol'
import {
  createLocalDatabase,
  createLocalQueries,
  createLocalWrites,
  createSyncEngine,
  memorySyncLock,
  type LocalDatabase,
} from '@offline-sync/sync-client'
import { createHttpTransport } from './http-transport.ts'

const opened: LocalDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete()
})

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const emptyResponse = {
  mode: 'full',
  cursor: '1',
  replayed: false,
  companies: [],
  contacts: [],
  removed: { companies: [], contacts: [] },
  companyIdMap: {},
  contactIdMap: {},
  rejected: [],
  overwrites: [],
  overwritten: [],
  page: { next: null, total: { companies: 0, contacts: 0 } },
  written: { companies: [], contacts: [] },
}

describe('a sync answered 401 (session ended)', () => {
  it('keeps every pending change and the request, and resends that same request once signed in', async () => {
    const db = createLocalDatabase(companiesContacts, `unauthorized-${crypto.randomUUID()}`, {
      indexedDB,
      IDBKeyRange,
    })
    opened.push(db)
    const writes = createLocalWrites(db, companiesContacts)
    const queries = createLocalQueries(db, companiesContacts)
    await writes.create('company', { name: 'Kept While Signed Out' })

    let signedIn = false
    const bodies: string[] = []
    const transport = createHttpTransport({
      csrfToken: async () => (signedIn ? 'token' : null),
      accountId: () => 7,
      fetch: (async (_url: string, init: RequestInit) => {
        bodies.push(String(init.body))
        return signedIn
          ? json(200, emptyResponse)
          : json(401, { error: { code: 'unauthenticated', message: 'Sign in' } })
      }) as typeof globalThis.fetch,
    })
    const engine = createSyncEngine({ db, spec: companiesContacts, transport, lock: memorySyncLock() })

    const failed = await engine.sync('manual')
    expect(failed).toMatchObject({ outcome: 'failed', error: { kind: 'unauthorized', retryable: false } })
    expect(await queries.pendingCount()).toBe(1)
    expect(await db.outbox.count()).toBe(1)
    const [company] = await db.parents.toArray()
    // Still the local record, not yet given a server id.
    expect(company).toMatchObject({ name: 'Kept While Signed Out' })
    expect(company?.id).toBeLessThan(0)

    signedIn = true
    const synced = await engine.sync('manual')
    expect(synced).toMatchObject({ outcome: 'synced', resent: true, syncId: failed.syncId })
    expect(bodies[1]).toBe(bodies[0])
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { startTestServer, type SignedInClient, type TestServer } from './start-test-server.ts'

const empty = () => ({ added: [], modified: [], deleted: [] })
const request = (over: Record<string, unknown> = {}) => ({
  protocolVersion: 3,
  deviceId: randomUUID(),
  syncId: randomUUID(),
  companies: empty(),
  contacts: empty(),
  ...over,
})
const oneCompanyTwoContacts = () =>
  request({
    companies: {
      added: [{ id: -1, uid: randomUUID(), name: 'Acme Ltd', phone: '+44 20 7946 0000' }],
      modified: [],
      deleted: [],
    },
    contacts: {
      added: [
        { id: -2, uid: randomUUID(), name: 'Ada', companyId: -1, email: 'ada@acme.test' },
        { id: -3, uid: randomUUID(), name: 'Bob', companyId: -1, jobTitle: 'Buyer' },
      ],
      modified: [],
      deleted: [],
    },
  })

describe.each(testDatabaseKinds())('POST /api/sync on %s', (kind) => {
  let server: TestServer
  let client: SignedInClient
  beforeAll(async () => {
    server = await startTestServer(kind)
    client = await server.signIn()
  })
  afterAll(async () => {
    await server?.close()
  })

  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    client.fetch('/api/sync', {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })

  /** Rules G1, G4: the records of a download, page by page, from its first token. */
  async function download(first: { page: { next: string | null } }) {
    const all = { companies: [] as Record<string, unknown>[], contacts: [] as Record<string, unknown>[] }
    let next = first.page.next
    while (next !== null) {
      const res = await post(request({ page: next }))
      expect(res.status).toBe(200)
      const page = await res.json()
      all.companies.push(...page.companies)
      all.contacts.push(...page.contacts)
      next = page.page.next
    }
    return all
  }

  it('rules G7, G8: creates a company with two contacts, acknowledges them, and its download holds them remapped', async () => {
    const res = await post(oneCompanyTwoContacts())
    expect(res.status).toBe(200)
    const answer = await res.json()
    expect(answer).toMatchObject({ mode: 'full', companies: [], contacts: [] })
    expect(answer.written.companies).toEqual([expect.objectContaining({ id: answer.companyIdMap['-1'] })])
    expect(answer.written.contacts).toHaveLength(2)
    const body = { ...answer, ...(await download(answer)) }
    const companyId = body.companyIdMap['-1']
    expect(companyId).toBeGreaterThan(0)
    expect(body.companies).toContainEqual(
      expect.objectContaining({
        id: companyId,
        name: 'Acme Ltd',
        isFromServer: true,
        isModified: false,
        isActive: true,
      }),
    )
    const contacts = body.contacts.filter((c: { companyId: number }) => c.companyId === companyId)
    expect(contacts.map((c: { name: string }) => c.name).sort()).toEqual(['Ada', 'Bob'])
    expect(Object.keys(body.contactIdMap).sort()).toEqual(['-2', '-3'])
    expect(body.rejected).toEqual([])
  })

  it('rule G1: answers a sync with nothing to send with the first page of a download, and the rest page by page', async () => {
    const res = await post(request())
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.companies.length).toBeGreaterThan(0)
    expect(body.mode).toBe('full')
    const rest = await download(body)
    expect(body.companies.length + rest.companies.length).toBe(body.page.total.companies)
    expect(body.contacts.length + rest.contacts.length).toBe(body.page.total.contacts)
  })

  it('compresses large responses for clients that accept it', async () => {
    const res = await client.fetch('/api/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify(request()),
    })
    expect(res.status).toBe(200)
    // fetch decodes transparently; the header proves the wire was compressed when large enough.
    const size = (await res.text()).length
    if (size > 1024) expect(res.headers.get('content-encoding')).toBe('gzip')
  })

  const badInputs: [string, () => unknown, number, string][] = [
    ['malformed JSON', () => '{"deviceId": ', 400, 'invalid_json'],
    ['a JSON array instead of an object', () => '[]', 400, 'invalid_request'],
    ['a number for the device id', () => request({ deviceId: 42 }), 400, 'invalid_request'],
    ['an unknown top-level field', () => ({ ...request(), isAdmin: true }), 400, 'invalid_request'],
    [
      'a forged isFromServer flag on a record',
      () =>
        request({
          companies: {
            added: [{ id: -1, uid: randomUUID(), name: 'X', isFromServer: true }],
            modified: [],
            deleted: [],
          },
        }),
      400,
      'invalid_request',
    ],
    [
      'a record without an id',
      () => request({ companies: { added: [{ uid: randomUUID(), name: 'X' }], modified: [], deleted: [] } }),
      400,
      'invalid_request',
    ],
    [
      'a positive id among added records',
      () =>
        request({
          companies: { added: [{ id: 5, uid: randomUUID(), name: 'X' }], modified: [], deleted: [] },
        }),
      400,
      'invalid_request',
    ],
    [
      'an over-long name',
      () =>
        request({
          companies: {
            added: [{ id: -1, uid: randomUUID(), name: 'x'.repeat(201) }],
            modified: [],
            deleted: [],
          },
        }),
      400,
      'invalid_request',
    ],
    [
      'a NUL byte in a field',
      () =>
        request({
          companies: { added: [{ id: -1, uid: randomUUID(), name: 'A\u0000B' }], modified: [], deleted: [] },
        }),
      400,
      'invalid_request',
    ],
    [
      'a contact pointing at an unknown local company',
      () =>
        request({
          contacts: {
            added: [{ id: -2, uid: randomUUID(), name: 'Y', companyId: -99 }],
            modified: [],
            deleted: [],
          },
        }),
      400,
      'invalid_request',
    ],
    [
      'the same id twice',
      () => {
        const r = { id: -1, uid: randomUUID(), name: 'X' }
        return request({ companies: { added: [r, { ...r, uid: randomUUID() }], modified: [], deleted: [] } })
      },
      400,
      'invalid_request',
    ],
    [
      'a __proto__ key',
      () =>
        `{"__proto__": {"polluted": true}, "protocolVersion": 3, "deviceId": "${randomUUID()}", "syncId": "${randomUUID()}", "companies": {"added": [], "modified": [], "deleted": []}, "contacts": {"added": [], "modified": [], "deleted": []}}`,
      400,
      'invalid_request',
    ],
    [
      'a body over the size limit',
      () => JSON.stringify({ ...request(), padding: 'x'.repeat(17 * 1024 * 1024) }),
      413,
      'payload_too_large',
    ],
    [
      'more records than one sync accepts',
      () =>
        request({
          companies: {
            added: [],
            modified: [],
            deleted: Array.from({ length: 20_001 }, (_, i) => ({ id: i + 1, uid: randomUUID() })),
          },
        }),
      413,
      'too_many_records',
    ],
  ]

  it.each(badInputs)(
    'refuses %s with a clear error and changes nothing',
    async (_name, body, status, code) => {
      const before = await server.snapshot()
      const res = await post(body())
      expect(res.status).toBe(status)
      const envelope = await res.json()
      expect(envelope.error.code).toBe(code)
      expect(envelope.error.message.length).toBeGreaterThan(10)
      expect(await server.snapshot()).toEqual(before)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    },
  )

  it('refuses a body that is not JSON by content type', async () => {
    const res = await post('deviceId=1', { 'content-type': 'application/x-www-form-urlencoded' })
    expect(res.status).toBe(415)
    expect((await res.json()).error.code).toBe('unsupported_media_type')
  })

  it('refuses a reused syncId with a different payload (409) and changes nothing', async () => {
    const first = oneCompanyTwoContacts()
    expect((await post(first)).status).toBe(200)
    const before = await server.snapshot()
    const res = await post({
      ...first,
      companies: { ...first.companies, added: [{ id: -1, uid: randomUUID(), name: 'Other' }] },
      contacts: empty(),
    })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('sync_id_reused')
    expect(await server.snapshot()).toEqual(before)
  })

  it('answers unknown API routes with a 404 envelope when signed in', async () => {
    const res = await client.fetch('/api/nope')
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('not_found')
  })

  it('reports app and database health', async () => {
    const res = await fetch(`${server.url}/api/health`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ status: 'ok', database: { kind, status: 'ok' } })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { startTestServer, type SignedInClient, type TestServer } from './start-test-server.ts'

const json = { 'content-type': 'application/json' }

describe.each(testDatabaseKinds())('POST /api/sync/preview on %s', (kind) => {
  let server: TestServer
  let client: SignedInClient
  beforeAll(async () => {
    server = await startTestServer(kind)
    client = await server.signIn()
  })
  afterAll(async () => {
    await server?.close()
  })

  const preview = (body: unknown, headers: Record<string, string> = json) =>
    client.fetch('/api/sync/preview', { method: 'POST', headers, body: JSON.stringify(body) })

  it('flags a company another device edited after my cursor', async () => {
    const uid = randomUUID()
    const empty = { added: [], modified: [], deleted: [] }
    const added = await client.sync({
      protocolVersion: 3,
      deviceId: randomUUID(),
      syncId: randomUUID(),
      companies: { ...empty, added: [{ id: -1, uid, name: 'Mine' }] },
      contacts: empty,
    })
    const { companyIdMap, cursor } = (await added.json()) as {
      companyIdMap: Record<string, number>
      cursor: string
    }
    const id = companyIdMap['-1']!
    await client.sync({
      protocolVersion: 3,
      deviceId: randomUUID(),
      syncId: randomUUID(),
      companies: { ...empty, modified: [{ base: '0', id, uid, name: 'Theirs' }] },
      contacts: empty,
    })

    const res = await preview({ cursor, parents: [id], children: [] })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toMatchObject({
      cursorKnown: true,
      parents: { changed: [id], deleted: [] },
      children: { changed: [], deleted: [] },
    })
  })

  it('refuses a bad body with 400 invalid, naming the field', async () => {
    const res = await preview({ cursor: 'x', parents: [] })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'invalid', details: [{ path: ['cursor'] }] } })
  })

  it('sits behind the session and CSRF checks of /api/sync', async () => {
    const anonymous = await fetch(`${server.url}/api/sync/preview`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ cursor: null }),
    })
    expect(anonymous.status).toBe(401)
    const noCsrf = await preview({ cursor: null }, { ...json, 'x-csrf-token': '' })
    expect(noCsrf.status).toBe(403)
    expect(await noCsrf.json()).toMatchObject({ error: { code: 'csrf_failed' } })
  })
})

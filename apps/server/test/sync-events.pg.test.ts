import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { startTestServer, type SignedInClient, type TestServer } from './start-test-server.ts'
import { hashToken } from '../src/accounts/session-store.ts'
import { cursorOf, readEventStream, type EventStreamReader } from './read-event-stream.ts'
import { PROTOCOL_VERSION } from '@offline-sync/sync-protocol'

const empty = () => ({ added: [], modified: [], deleted: [] })
/** A sync from `deviceId` that adds one company named `name`; resolves to the response's cursor. */
async function addCompany(client: SignedInClient, deviceId: string, name = `Co ${randomUUID()}`) {
  const res = await client.sync({
    protocolVersion: PROTOCOL_VERSION,
    deviceId,
    syncId: randomUUID(),
    cursor: null,
    companies: { added: [{ id: -1, uid: randomUUID(), name }], modified: [], deleted: [] },
    contacts: empty(),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { cursor: string }).cursor
}

const openStream = (client: SignedInClient, deviceId: string, headers: Record<string, string> = {}) =>
  readEventStream((signal) =>
    client.fetch(`/api/sync/events?deviceId=${deviceId}`, {
      signal,
      headers: { accept: 'text/event-stream', ...headers },
    }),
  )

const manyWrites = { sync: { limit: 100_000, windowSeconds: 60 } }

describe.each(testDatabaseKinds())('GET /api/sync/events on %s', (kind) => {
  let server: TestServer
  const readers: EventStreamReader[] = []
  const track = async (reader: Promise<EventStreamReader>) => {
    const r = await reader
    readers.push(r)
    return r
  }
  beforeAll(async () => {
    // No coalescing here, so every notice shows as its own event and an unwanted one cannot hide in a later one.
    server = await startTestServer(kind, { live: { coalesceMs: 0 }, rateLimits: manyWrites })
    // A guard against a hang, not a speed check: on a loaded 2-core machine a server start takes minutes.
  }, 300_000)
  afterAll(async () => {
    for (const r of readers) r.close()
    await server?.close()
  })

  it('rule L1: without a session it answers 401 unauthenticated as JSON, and no stream', async () => {
    const res = await fetch(`${server.url}/api/sync/events?deviceId=${randomUUID()}`)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } })
  })

  it('rule L1: a missing, malformed or repeated deviceId is 400 invalid, and no stream', async () => {
    const client = await server.signIn()
    for (const query of [
      '',
      '?deviceId=',
      '?deviceId=not-a-uuid',
      `?deviceId=${randomUUID()}&deviceId=${randomUUID()}`,
      '?deviceId=%00',
    ]) {
      const res = await client.fetch(`/api/sync/events${query}`)
      expect(res.status, query).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid' } })
    }
  })

  it('rule L2: opens with unbuffered, untransformed event-stream headers, a retry delay and ready with the cursor', async () => {
    const client = await server.signIn()
    const before = await addCompany(client, randomUUID())
    const stream = await track(openStream(client, randomUUID(), { 'accept-encoding': 'gzip, br' }))
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(stream.headers.get('x-accel-buffering')).toBe('no')
    // Gzip would hold events in the compressor's buffer.
    expect(stream.headers.get('content-encoding')).toBeNull()
    await stream.waitFor(() => stream.named('ready').length === 1)
    expect(stream.events[0]?.retry).toBeGreaterThan(0)
    expect(BigInt(cursorOf(stream.named('ready')[0]))).toBeGreaterThanOrEqual(BigInt(before))
    stream.close()
  })

  it("rules L3 L5: a write by device A reaches B's stream as a bare cursor, and not A's own stream", async () => {
    const a = await server.signIn()
    const b = await server.signIn()
    const deviceA = randomUUID()
    const deviceB = randomUUID()
    const streamA = await track(openStream(a, deviceA))
    const streamB = await track(openStream(b, deviceB))
    await streamA.waitFor(() => streamA.named('ready').length === 1)
    await streamB.waitFor(() => streamB.named('ready').length === 1)

    const secret = `Secret Ltd ${randomUUID()}`
    const cursorA = await addCompany(a, deviceA, secret)
    await streamB.waitFor(() => streamB.named('changed').some((e) => cursorOf(e) === cursorA))
    // Then B writes: A hears of it. Notices arrive in commit order, so had A been told of its own write, that
    // event would be in A's stream before this one.
    const cursorB = await addCompany(b, deviceB)
    await streamA.waitFor(() => streamA.named('changed').some((e) => cursorOf(e) === cursorB))
    expect(streamA.named('changed').map(cursorOf)).not.toContain(cursorA)
    expect(streamB.named('changed').map(cursorOf)).not.toContain(cursorB)

    // Only cursors travel: no record data, no device id.
    for (const event of [...streamA.events, ...streamB.events].filter((e) => e.data !== undefined))
      expect(Object.keys(JSON.parse(event.data ?? '{}') as object)).toEqual(['cursor'])
    for (const raw of [streamA.raw(), streamB.raw()]) {
      expect(raw).not.toContain(secret)
      expect(raw).not.toContain(deviceA)
      expect(raw).not.toContain(deviceB)
    }
  })

  it('rule L8: sign-out ends that session’s stream with end signed_out; another session’s stream stays open', async () => {
    const leaving = await server.signIn()
    const staying = await server.signIn()
    const gone = await track(openStream(leaving, randomUUID()))
    const kept = await track(openStream(staying, randomUUID()))
    await gone.waitFor(() => gone.named('ready').length === 1)
    await kept.waitFor(() => kept.named('ready').length === 1)

    const res = await leaving.fetch('/api/auth/sign-out', { method: 'POST' })
    expect(res.status).toBeLessThan(300)
    await gone.ended
    expect(gone.named('end').map((e) => JSON.parse(e.data ?? '{}') as unknown)).toEqual([
      { reason: 'signed_out' },
    ])

    const cursor = await addCompany(staying, randomUUID())
    await kept.waitFor(() => kept.named('changed').some((e) => cursorOf(e) === cursor))
    expect(kept.named('end')).toEqual([])
    // And the signed-out cookie cannot open a new one.
    expect((await leaving.fetch(`/api/sync/events?deviceId=${randomUUID()}`)).status).toBe(401)
  })

  it('rule L9: graceful shutdown closes every open stream', async () => {
    const other = await startTestServer(kind, { db: server.db })
    try {
      const client = await other.signIn()
      const stream = await openStream(client, randomUUID())
      await stream.waitFor(() => stream.named('ready').length === 1)
      expect(other.live.size()).toBe(1)
      await other.live.close()
      await stream.ended
      expect(other.live.size()).toBe(0)
      expect(stream.named('end')).toEqual([])
    } finally {
      await other.close()
    }
  })
})

describe.each(testDatabaseKinds())('live updates, tuned, on %s', (kind) => {
  it('rule L4: 100 quick writes by other devices reach a stream as a handful of changed events, the last with the final cursor', async () => {
    const coalesceMs = 250
    const server = await startTestServer(kind, { live: { coalesceMs }, rateLimits: manyWrites })
    try {
      const client = await server.signIn()
      const stream = await openStream(client, randomUUID())
      await stream.waitFor(() => stream.named('ready').length === 1)
      const started = Date.now()
      let last = 0n
      // Ten devices writing at once, ten saves each.
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const writer = randomUUID()
          for (let i = 0; i < 10; i++) {
            const cursor = BigInt(await addCompany(client, writer))
            if (cursor > last) last = cursor
          }
        }),
      )
      await stream.waitFor(() => stream.named('changed').some((e) => cursorOf(e) === String(last)))
      const elapsed = Date.now() - started
      const changed = stream.named('changed')
      expect(cursorOf(changed.at(-1))).toBe(String(last))
      // At most one event per window, however fast or slow the machine: bounded by the time the writes took.
      // (How few depends on how fast the writes came; the exact count per window is in event-stream.test.ts.)
      expect(changed.length).toBeLessThanOrEqual(Math.ceil(elapsed / coalesceMs) + 1)
      // Cursors only grow within a stream.
      const cursors = changed.map((e) => BigInt(cursorOf(e)))
      expect(cursors).toEqual([...cursors].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)))
      stream.close()
    } finally {
      await server.close()
    }
    // A guard against a hang, not a speed check: 100 syncs take minutes on a loaded 2-core machine.
  }, 600_000)

  it('rule L7: an idle stream gets a heartbeat comment', async () => {
    const server = await startTestServer(kind, { live: { heartbeatMs: 50 } })
    try {
      const stream = await openStream(await server.signIn(), randomUUID())
      await stream.waitFor(() => stream.events.filter((e) => e.comment === 'ping').length >= 2)
      expect(stream.named('changed')).toEqual([])
      stream.close()
    } finally {
      await server.close()
    }
  })

  it('rule L8: when the session expires the stream ends with end session_expired', async () => {
    const server = await startTestServer(kind, { live: { sessionCheckMs: 50 } })
    try {
      const client = await server.signIn()
      const stream = await openStream(client, randomUUID())
      await stream.waitFor(() => stream.named('ready').length === 1)
      await server.db.sql.query(
        `UPDATE "Session" SET "expiresAt" = now() - interval '1 second' WHERE "tokenHash" = $1`,
        [hashToken(client.token)],
      )
      await stream.ended
      expect(stream.named('end').map((e) => JSON.parse(e.data ?? '{}') as unknown)).toEqual([
        { reason: 'session_expired' },
      ])
    } finally {
      await server.close()
    }
  })

  it('rule L1: opening streams is rate limited per session', async () => {
    const server = await startTestServer(kind, { live: { openLimit: { limit: 2, windowSeconds: 60 } } })
    try {
      const client = await server.signIn()
      const first = await openStream(client, randomUUID())
      const second = await openStream(client, randomUUID())
      expect([first.status, second.status]).toEqual([200, 200])
      const third = await client.fetch(`/api/sync/events?deviceId=${randomUUID()}`)
      expect(third.status).toBe(429)
      expect(third.headers.get('retry-after')).not.toBeNull()
      // Another session has its own budget.
      const other = await openStream(await server.signIn(), randomUUID())
      expect(other.status).toBe(200)
      for (const s of [first, second, other]) s.close()
    } finally {
      await server.close()
    }
  })

  it('rule L6: a write through instance 1 reaches a stream on instance 2 over one database', async () => {
    const one = await startTestServer(kind, { live: { coalesceMs: 0 } })
    const two = await startTestServer(kind, { db: one.db, live: { coalesceMs: 0 } })
    try {
      const onTwo = await openStream(await two.signIn(), randomUUID())
      const onOne = await openStream(await one.signIn(), randomUUID())
      await onTwo.waitFor(() => onTwo.named('ready').length === 1)
      await onOne.waitFor(() => onOne.named('ready').length === 1)
      const cursor = await addCompany(await one.signIn(), randomUUID())
      await onTwo.waitFor(() => onTwo.named('changed').some((e) => cursorOf(e) === cursor))
      await onOne.waitFor(() => onOne.named('changed').some((e) => cursorOf(e) === cursor))
      // Sign-out through instance 1 ends that session's stream on instance 2.
      const client = await one.signIn()
      const stream = await openStream(
        {
          ...client,
          fetch: (path, init) =>
            fetch(`${two.url}${path}`, {
              ...init,
              headers: { ...client.headers, ...(init?.headers as Record<string, string>) },
            }),
        },
        randomUUID(),
      )
      await stream.waitFor(() => stream.named('ready').length === 1)
      expect((await client.fetch('/api/auth/sign-out', { method: 'POST' })).status).toBeLessThan(300)
      await stream.ended
      expect(stream.named('end').map((e) => JSON.parse(e.data ?? '{}') as unknown)).toEqual([
        { reason: 'signed_out' },
      ])
      for (const s of [onOne, onTwo]) s.close()
    } finally {
      await two.close()
      await one.close()
    }
  })
})

describe('live updates on postgres: the listener connection', () => {
  it('rule L6: after the LISTEN connection is killed it listens again and no write is lost', async () => {
    const server = await startTestServer('postgres', { live: { coalesceMs: 0 } })
    try {
      const client = await server.signIn()
      const stream = await openStream(client, randomUUID())
      await stream.waitFor(() => stream.named('ready').length === 1)
      const listeners = () =>
        server.db.sql.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
        )
      const [before] = await listeners()
      expect(before).toBeDefined()
      await server.db.sql.query('SELECT pg_terminate_backend($1::int)', [before?.pid])
      // A write while it may be down: told now, or by the catch-up notice after the reconnect.
      const missed = await addCompany(client, randomUUID())
      await stream.waitFor(() => stream.named('changed').some((e) => BigInt(cursorOf(e)) >= BigInt(missed)))
      await expect
        .poll(async () => (await listeners()).some((l) => l.pid !== before?.pid), {
          timeout: 30_000,
          interval: 50,
        })
        .toBe(true)
      const after = await addCompany(client, randomUUID())
      await stream.waitFor(() => stream.named('changed').some((e) => cursorOf(e) === after))
      stream.close()
    } finally {
      await server.close()
    }
  })
})

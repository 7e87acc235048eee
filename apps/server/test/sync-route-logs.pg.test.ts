import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { createLogger } from '../src/logger.ts'
import { startTestServer, type TestServer } from './start-test-server.ts'
import { PROTOCOL_VERSION } from '@offline-sync/sync-protocol'

const empty = () => ({ added: [], modified: [], deleted: [] })

describe.each(testDatabaseKinds())('POST /api/sync logs through the server logger on %s', (kind) => {
  const lines: Record<string, unknown>[] = []
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(kind, {
      logger: createLogger({
        level: 'info',
        write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      }),
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  it("the server engine's line for each sync reaches the app's logger (applied, then replayed)", async () => {
    const client = await server.signIn()
    const body = {
      protocolVersion: PROTOCOL_VERSION,
      deviceId: randomUUID(),
      syncId: randomUUID(),
      companies: { added: [{ id: -1, uid: randomUUID(), name: 'Logged Ltd' }], modified: [], deleted: [] },
      contacts: empty(),
    }
    expect((await client.sync(body)).status).toBe(200)
    expect((await client.sync(body)).status).toBe(200)
    const engineLines = lines.filter((line) => line.syncId === body.syncId)
    expect(engineLines.map((line) => line.message)).toEqual(['sync applied', 'sync replayed'])
    expect(engineLines[0]).toMatchObject({
      level: 'info',
      deviceId: body.deviceId,
      mode: 'full',
      rejected: 0,
    })
  })
})

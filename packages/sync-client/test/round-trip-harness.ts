import { expect } from 'vitest'
import { DatabaseUnavailableError } from '@offline-sync/db'
import { createTestDatabase, type TestDatabaseKind } from '@offline-sync/db/testing'
import type { CompaniesContacts, OneToManySpec } from '@offline-sync/sync-protocol'
import {
  BaseAheadError,
  createServerDataSync,
  InvalidPageError,
  parseSyncRequest,
  SyncIdReusedError,
  type ServerDataSync,
  type SqlDatabase,
} from '@offline-sync/sync-server'
import type { LocalRecord } from '../src/local-database.ts'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { SyncFailure, type Transport, type WireSyncRequest } from '../src/transport.ts'
import { fromStored } from '../src/stored-record.ts'
import { makeDevice, spec } from './helpers.ts'

export interface TestServer<S extends OneToManySpec = CompaniesContacts> {
  engine: ServerDataSync<S>
  sql: SqlDatabase
  close(): Promise<void>
}

/** `options`: the server engine's (e.g. small pages of a full download, rule G1). */
export async function startServer(
  kind: TestDatabaseKind,
  options?: Parameters<typeof createServerDataSync>[2],
): Promise<TestServer> {
  const db = await createTestDatabase(kind)
  return { engine: createServerDataSync(spec, db.sql, options), sql: db.sql, close: () => db.close() }
}

/** Hooks to play the network: hold a request in flight, or lose the response after the server applied it. */
export interface Wire {
  /** Runs before the request reaches the server (the request is already built and parked in the outbox). */
  beforeServer?: (request: WireSyncRequest) => Promise<void>
  /** Runs after the server applied it, before the response reaches the device. */
  afterServer?: () => Promise<void>
  /** Throw this instead of delivering the response (the server has applied the request). */
  loseResponse?: boolean
}

/**
 * The real server engine in-process, with JSON on both sides as on the wire, and the HTTP route's error mapping:
 * 400 invalid_request (a bad request, page token or base) → bad_request with details, 409 sync_id_reused → conflict,
 * 503 → unavailable. `declaration`
 * is the server's parent/child pair (Company/Contact unless another is given).
 */
export function inProcessTransport<S extends OneToManySpec = CompaniesContacts>(
  server: Pick<TestServer<S>, 'engine'>,
  wire: Wire = {},
  declaration: S = spec as OneToManySpec as S,
): Transport & { sent: WireSyncRequest[] } {
  const sent: WireSyncRequest[] = []
  const transport = async (request: WireSyncRequest) => {
    const body: unknown = JSON.parse(JSON.stringify(request))
    sent.push(body as WireSyncRequest)
    await wire.beforeServer?.(request)
    const parsed = parseSyncRequest(declaration, body)
    if (!parsed.ok)
      throw new SyncFailure('bad_request', parsed.error.message, {
        status: 400,
        details: parsed.error.details,
      })
    let response: unknown
    try {
      response = await server.engine.sync(parsed.value)
    } catch (err) {
      if (err instanceof SyncIdReusedError) throw new SyncFailure('conflict', err.message, { status: 409 })
      if (err instanceof InvalidPageError || err instanceof BaseAheadError)
        throw new SyncFailure('bad_request', err.message, {
          status: 400,
          details: [{ path: err.path, message: err.message }],
        })
      if (err instanceof DatabaseUnavailableError)
        throw new SyncFailure('unavailable', err.message, { status: 503 })
      throw new SyncFailure('server', String(err), { status: 500 })
    }
    await wire.afterServer?.()
    if (wire.loseResponse) throw new SyncFailure('timeout', 'the response was lost')
    return JSON.parse(JSON.stringify(response)) as unknown
  }
  return Object.assign(transport, { sent })
}

/** A device: its database, writes, queries and a sync engine talking to `server` through `wire`. */
export function makeSyncedDevice(server: TestServer, label = 'device') {
  const device = makeDevice(label)
  const wire: Wire = {}
  const transport = inProcessTransport(server, wire)
  const engine = createSyncEngine({ db: device.db, spec, transport, lock: memorySyncLock() })
  return { ...device, wire, transport, engine, sync: () => engine.sync('manual') }
}

/** Empties the app's tables and the sync history, so a property run starts from a known server. */
export async function resetServer(server: TestServer) {
  await server.sql.query('TRUNCATE "Contact", "Company", "Tombstone", "SyncReceipt", "Overwrite"')
}

/** Every server row of both tables, as the app's fields plus id, uid and parent key. */
export async function serverRows(server: TestServer) {
  const companies = await server.sql.query<Record<string, unknown>>(
    'SELECT id, uid::text AS uid, name, address, phone, email, website FROM "Company" ORDER BY uid',
  )
  const contacts = await server.sql.query<Record<string, unknown>>(
    'SELECT id, uid::text AS uid, "companyId", name, "jobTitle", email, phone FROM "Contact" ORDER BY uid',
  )
  return { companies, contacts }
}

const pick = (record: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, record[k] ?? null]))
const companyKeys = ['id', 'uid', 'name', 'address', 'phone', 'email', 'website']
const contactKeys = ['id', 'uid', 'companyId', 'name', 'jobTitle', 'email', 'phone']

/** A device's tables in the same shape as serverRows, after asserting no record is left pending. */
export async function deviceRows(device: ReturnType<typeof makeDevice>) {
  const companies = (await device.db.parents.orderBy('uid').toArray()).map(fromStored)
  const contacts = (await device.db.children.orderBy('uid').toArray()).map(fromStored)
  const dirty = [...companies, ...contacts].filter(
    (r: LocalRecord) => !r.isFromServer || r.isModified || !r.isActive,
  )
  expect(dirty).toEqual([])
  return {
    companies: companies.map((r) => pick(r, companyKeys)),
    contacts: contacts.map((r) => pick(r, contactKeys)),
  }
}

export async function expectDeviceMatchesServer(device: ReturnType<typeof makeDevice>, server: TestServer) {
  const [mine, theirs] = await Promise.all([deviceRows(device), serverRows(server)])
  expect(mine).toEqual({
    companies: theirs.companies.map((r) => pick(r, companyKeys)),
    contacts: theirs.contacts.map((r) => pick(r, contactKeys)),
  })
}

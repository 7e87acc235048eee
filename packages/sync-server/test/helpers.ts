import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import {
  companiesContacts,
  PROTOCOL_VERSION,
  syncSchemas,
  type CompaniesContacts,
  type SyncRequest,
  type SyncResponse,
} from '@offline-sync/sync-protocol'
import { parseSyncRequest, type ServerDataSync, type SqlDatabase, type SqlExecutor } from '../src/index.ts'

export const spec = companiesContacts
export type Request = SyncRequest<CompaniesContacts>
export type Response = SyncResponse<CompaniesContacts>
export type Engine = ServerDataSync<CompaniesContacts>
type Wire = Record<string, unknown> & { id: number; uid: string }

const responseSchema = syncSchemas(spec).response

export const newCompany = (id: number, fields: Record<string, unknown> = {}): Wire => ({
  id,
  uid: randomUUID(),
  name: `Company ${randomUUID().slice(0, 8)}`,
  ...fields,
})

export const newContact = (id: number, companyId: number, fields: Record<string, unknown> = {}): Wire => ({
  id,
  uid: randomUUID(),
  name: `Contact ${randomUUID().slice(0, 8)}`,
  companyId,
  ...fields,
})

export const ref = (record: { id: number; uid: string }) => ({ id: record.id, uid: record.uid })

interface ChangeLists {
  added?: Wire[]
  modified?: Wire[]
  deleted?: { id: number; uid: string; base?: string }[]
}

/** Rule M2 wants a base on every modify and delete; tests not about merging say "seen nothing" (0). */
const based = <T extends object>(record: T) => ({ base: '0', ...record })

/** A wire body as a device would send it. */
export function body(
  over: {
    deviceId?: string
    syncId?: string
    cursor?: string | null
    page?: string | null
    companies?: ChangeLists
    contacts?: ChangeLists
  } = {},
) {
  const lists = (c: ChangeLists = {}) => ({
    added: c.added ?? [],
    modified: (c.modified ?? []).map(based),
    deleted: (c.deleted ?? []).map(based),
  })
  return {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: over.deviceId ?? randomUUID(),
    syncId: over.syncId ?? randomUUID(),
    ...(over.cursor !== undefined ? { cursor: over.cursor } : {}),
    ...(over.page !== undefined ? { page: over.page } : {}),
    companies: lists(over.companies),
    contacts: lists(over.contacts),
  }
}

/** Parses like the HTTP route does; a test body that fails to parse is a bug in the test. */
export function parsed(wire: unknown): Request {
  const result = parseSyncRequest(spec, wire)
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** Runs a sync and asserts the response is valid against the protocol's response schema. */
export async function sync(engine: Engine, wire: unknown): Promise<Response> {
  const response = await engine.sync(parsed(wire))
  const check = responseSchema.safeParse(response)
  expect(check.error?.issues ?? []).toEqual([])
  return response
}

export async function count(
  db: SqlExecutor,
  table: string,
  where = 'TRUE',
  params: unknown[] = [],
): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`,
    params,
  )
  return row?.n ?? 0
}

/** Everything the engine can change, for "nothing was committed" assertions. */
export async function snapshot(db: SqlExecutor) {
  const all = (sql: string) => db.query(sql)
  return {
    companies: await all('SELECT id, uid::text, name, version::text FROM "Company" ORDER BY id'),
    contacts: await all('SELECT id, uid::text, name, "companyId", version::text FROM "Contact" ORDER BY id'),
    tombstones: await all('SELECT entity, "recordId", version::text FROM "Tombstone" ORDER BY id'),
    receipts: await all('SELECT "deviceId"::text, "syncId"::text FROM "SyncReceipt" ORDER BY 1, 2'),
    state: await all('SELECT cursor::text, "tombstoneFloor"::text FROM "SyncState"'),
  }
}

/**
 * Wraps the port so that the first statement matching `pattern` throws, as a database error would.
 * Used to prove that a failure mid-way commits nothing.
 */
export function failingOn(db: SqlDatabase, pattern: RegExp): SqlDatabase {
  const fail = (sql: string) => {
    if (pattern.test(sql)) throw new Error(`injected failure on: ${sql.slice(0, 60)}`)
  }
  return {
    query: async (sql, params) => {
      fail(sql)
      return db.query(sql, params)
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async (sql, params) => {
            fail(sql)
            return tx.query(sql, params)
          },
        }),
      ),
  }
}

export const byId = <T extends { id: number }>(rows: readonly T[], id: number | undefined): T | undefined =>
  rows.find((row) => row.id === id)

/**
 * Wraps the port so that `parties` transactions each run their first statement matching `pattern`, then wait
 * for one another before going on. Forces a race (e.g. two copies of a request both passing the receipt fast
 * path) instead of hoping for one. Needs a database that runs transactions side by side (Postgres, not PGlite).
 */
export function barrierAfter(db: SqlDatabase, pattern: RegExp, parties: number): SqlDatabase {
  let arrived = 0
  let release!: () => void
  const allThere = new Promise<void>((resolve) => (release = resolve))
  return {
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => {
      let waited = false
      return db.transaction((tx) =>
        fn({
          query: async (sql, params) => {
            const rows = await tx.query(sql, params)
            if (!waited && pattern.test(sql)) {
              waited = true
              if (++arrived === parties) release()
              await allThere
            }
            return rows as never
          },
        }),
      )
    },
  }
}

/** Wraps the port and records every statement the engine sends, for rule R14 (set-based, nothing for empty lists). */
export function recording(db: SqlDatabase): { db: SqlDatabase; statements: string[] } {
  const statements: string[] = []
  return {
    statements,
    db: {
      query: (sql, params) => {
        statements.push(sql)
        return db.query(sql, params)
      },
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: (sql, params) => {
              statements.push(sql)
              return tx.query(sql, params)
            },
          }),
        ),
    },
  }
}

/**
 * Rules G1–G8: a sync whose answer is a full read, followed page by page to the end of its download; the
 * records of every page are returned in place of the first answer's (which has none after a write, G8).
 * Every page must carry the same snapshot cursor and totals (G1, G2). A delta answer is returned as it is.
 */
export async function syncAndDownload(engine: Engine, wire: ReturnType<typeof body>): Promise<Response> {
  const first = await sync(engine, wire)
  if (first.mode !== 'full' || !first.page) return first
  const all = { ...first, companies: [...first.companies], contacts: [...first.contacts] }
  let next = first.page.next
  while (next !== null) {
    const page = await sync(engine, body({ deviceId: wire.deviceId, page: next }))
    expect(page.cursor).toBe(first.cursor)
    expect(page.page?.total).toEqual(first.page.total)
    all.companies.push(...page.companies)
    all.contacts.push(...page.contacts)
    next = page.page?.next ?? null
  }
  return all
}

/** Rule G1: a whole download from no cursor, page by page. */
export const download = (engine: Engine, deviceId = randomUUID()): Promise<Response> =>
  syncAndDownload(engine, body({ deviceId }))

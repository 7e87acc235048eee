import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { setUpFirstAccount, type Session } from '@offline-sync/test-support/node-device'
import { startServerProcess, type ServerProcess } from '@offline-sync/test-support/server-process'
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '@offline-sync/test-support/throwaway-database'

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

// The server's V8 heap limit. It starts (tsx, Express, pg, the engine) and answers 1 MiB pages well inside it.
const HEAP_MB = 64
// Every field at (or a few characters under) its declared maximum: a company is about 3.3 KB of record JSON, a
// contact about 1 KB, so these rows are about 100 MB of record JSON, well over the whole heap. The old code read a
// full sync as one answer: every row as a JS object (about its JSON's size again), then the whole answer as one JSON
// string, i.e. rows × width × 2–3 ≈ 200–300 MB live at once, three to five times this heap: that server would
// have died of "heap out of memory" on the first sync. The paged server holds one page (≤ SYNC_PAGE_BYTES of
// record JSON) at a time. Checked once by hand: this test with SYNC_PAGE_RECORDS, SYNC_FIRST_PAGE_RECORDS and
// SYNC_PAGE_BYTES raised so that the first page is the whole table kills the server on its first answer ("Reached
// heap limit Allocation failed - JavaScript heap out of memory"). Sizes are kept to about 100 pages so the test
// runs in under a minute.
const COMPANIES = 24_000
const CONTACTS = 24_000
// The default bound, named here so that the test checks what it sets.
const PAGE_BYTES = 1_048_576
// Room for what an answer adds around its records (cursor, page token, totals, empty lists) and for the wire
// records differing from the row_to_json the SQL bound counts. Measured: the largest answer was 1,041,566 bytes,
// under the bound itself, so this slack only keeps the check from depending on the envelope's exact size.
const ENVELOPE_SLACK = 64 * 1024

const { company, contact } = {
  company: companiesContacts.parent.fields,
  contact: companiesContacts.child.fields,
}

/** SQL text of exactly `length` characters: `prefix`, then the row number, then `fill` characters. */
const sized = (prefix: string, length: number, fill = 'x', suffix = '') =>
  `rpad('${prefix}' || lpad(i::text, 6, '0'), ${length - suffix.length}, '${fill}') || '${suffix}'`

/**
 * Fills the tables the way the server would have after one sync that wrote them all (every row at version 1,
 * SyncState's cursor 1), in two statements, with every field at its declared maximum length.
 */
async function seedWideRows(client: pg.Client) {
  await client.query(
    `INSERT INTO "Company" (id, uid, name, address, phone, email, website, version)
     SELECT i, gen_random_uuid(),
            ${sized('Company ', company.name.maxLength)},
            ${sized('Street ', company.address.maxLength, 'a')},
            ${sized('+44 20 ', company.phone.maxLength, '0')},
            ${sized('owner.', company.email.maxLength, 'e', '@example.test')},
            ${sized('https://example.test/', company.website.maxLength, 'w')},
            1
       FROM generate_series(1, ${COMPANIES}) AS i`,
  )
  await client.query(
    `INSERT INTO "Contact" (id, uid, "companyId", name, "jobTitle", email, phone, version)
     SELECT i, gen_random_uuid(), 1 + (i - 1) % ${COMPANIES},
            ${sized('Person ', contact.name.maxLength)},
            ${sized('Buyer ', contact.jobTitle.maxLength, 'j')},
            ${sized('person.', contact.email.maxLength, 'e', '@example.test')},
            ${sized('+44 20 ', contact.phone.maxLength, '0')},
            1
       FROM generate_series(1, ${CONTACTS}) AS i`,
  )
  // Explicit ids leave the sequences behind; SyncState's cursor is the version the rows carry.
  for (const table of ['Company', 'Contact'])
    await client.query(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`,
    )
  await client.query(
    `INSERT INTO "SyncState" (id, cursor, "tombstoneFloor") VALUES (1, 1, 0)
     ON CONFLICT (id) DO UPDATE SET cursor = 1, "tombstoneFloor" = 0`,
  )
  await client.query('ANALYZE "Company", "Contact"')
  const { rows } = await client.query<{ bytes: string }>(
    `SELECT ((SELECT sum(octet_length(row_to_json(c)::text)) FROM "Company" c) +
             (SELECT sum(octet_length(row_to_json(t)::text)) FROM "Contact" t))::text AS bytes`,
  )
  return Number(rows[0]?.bytes)
}

// Issue 16 point 8, decision 020: server memory is bounded by a page, not by the tables (rules G1, G2).
describe('a full sync of more wide rows than the server process has heap', () => {
  let database: ThrowawayDatabase
  let server: ServerProcess
  let session: Session
  let logFile: string
  let seededBytes: number

  beforeAll(async () => {
    database = await createThrowawayDatabase(adminUrl)
    logFile = join(mkdtempSync(join(tmpdir(), 'bounded-memory-')), 'server.log')
    server = await startServerProcess({
      databaseUrl: database.url,
      logFile,
      env: {
        // Reaches the node process tsx runs the server in as well as tsx itself.
        NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}`,
        SYNC_PAGE_BYTES: String(PAGE_BYTES),
        // A download of about 100 pages within a minute is more than the default 120 syncs a minute allow.
        RATE_LIMIT_SYNC: '1000000',
        RATE_LIMIT_SYNC_ACCOUNT: '1000000',
      },
    })
    // The server migrated the database at start; the rows go in behind its back, as a restore would put them.
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      seededBytes = await seedWideRows(client)
    } finally {
      await client.end()
    }
    session = await setUpFirstAccount(server.baseURL, {
      email: 'owner-bounded-memory@example.test',
      password: `bounded memory ${randomUUID()}`,
    })
  }, 180_000)

  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  const deviceId = randomUUID()
  const sync = (body: Record<string, unknown>) =>
    fetch(`${server.baseURL}/api/sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
      },
      body: JSON.stringify({
        protocolVersion: 3,
        deviceId,
        syncId: randomUUID(),
        companies: { added: [], modified: [], deleted: [] },
        contacts: { added: [], modified: [], deleted: [] },
        ...body,
      }),
    })

  it('rules G1, G2: every row arrives exactly once, in pages of at most SYNC_PAGE_BYTES, and the process stays up', async () => {
    // The precondition that makes this a test of memory: the rows' JSON alone is more than the whole heap.
    expect(seededBytes).toBeGreaterThan(1.5 * HEAP_MB * 1024 * 1024)

    const seen = { companies: new Set<number>(), contacts: new Set<number>() }
    const repeated: string[] = []
    const statuses: number[] = []
    let largestBody = 0
    let pages = 0
    let snapshot: string | undefined
    let totals: unknown
    let next: string | null | undefined
    do {
      const response = await sync(next === undefined ? {} : { page: next })
      statuses.push(response.status)
      const text = await response.text()
      if (response.status !== 200) break
      largestBody = Math.max(largestBody, Buffer.byteLength(text))
      const answer = JSON.parse(text) as {
        mode: string
        cursor: string
        page: { next: string | null; total: unknown }
        companies: { id: number }[]
        contacts: { id: number }[]
      }
      pages++
      expect(answer.mode).toBe('full')
      // G2: every page of the download carries the first page's snapshot and totals.
      snapshot ??= answer.cursor
      totals ??= answer.page.total
      expect(answer.cursor).toBe(snapshot)
      expect(answer.page.total).toEqual(totals)
      // G1: at least one record while any remain.
      expect(answer.companies.length + answer.contacts.length).toBeGreaterThan(0)
      for (const [entity, records] of [
        ['companies', answer.companies],
        ['contacts', answer.contacts],
      ] as const)
        for (const { id } of records) {
          if (seen[entity].has(id)) repeated.push(`${entity} ${id}`)
          seen[entity].add(id)
        }
      next = answer.page.next
    } while (next !== null)

    expect(statuses.every((status) => status === 200)).toBe(true)
    expect(repeated).toEqual([])
    expect(totals).toEqual({ companies: COMPANIES, contacts: CONTACTS })
    expect(seen.companies.size).toBe(COMPANIES)
    expect(seen.contacts.size).toBe(CONTACTS)
    expect(Math.max(...seen.companies)).toBe(COMPANIES)
    expect(Math.max(...seen.contacts)).toBe(CONTACTS)
    // G1's byte bound, seen from outside: no answer is much more than one page of record JSON.
    expect(largestBody).toBeLessThanOrEqual(PAGE_BYTES + ENVELOPE_SLACK)
    // Many pages, so no answer could have held the download (and the byte bound, not the 2,000 records, cut them).
    expect(pages).toBeGreaterThanOrEqual(Math.floor(seededBytes / PAGE_BYTES))

    // Still the same process, still answering, and it never ran out of heap on the way.
    expect(server.running()).toBe(true)
    expect((await fetch(`${server.baseURL}/api/health`)).status).toBe(200)
    expect(await readFile(logFile, 'utf8')).not.toMatch(/heap out of memory/i)
    console.log(
      `bounded memory: ${pages} pages, largest answer ${largestBody} bytes, ${(seededBytes / 1048576).toFixed(0)} MiB of record JSON, heap ${HEAP_MB} MB`,
    )
  }, 150_000)
})

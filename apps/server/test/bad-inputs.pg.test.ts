import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import { companiesContacts, syncSchemas } from '@offline-sync/sync-protocol'
import { startTestServer, TEST_PASSWORD, type SignedInClient, type TestServer } from './start-test-server.ts'
import {
  addCompany,
  syncBody,
  type BadInput,
  type CaseContext,
  type HttpCall,
  type SessionCredentials,
} from './bad-inputs/bad-input.ts'
import { bodyCases } from './bad-inputs/body-cases.ts'
import { typeCases } from './bad-inputs/type-cases.ts'
import { sizeCases } from './bad-inputs/size-cases.ts'
import { keyCases } from './bad-inputs/key-cases.ts'
import { deleteCases } from './bad-inputs/delete-cases.ts'
import { forgeryCases } from './bad-inputs/forgery-cases.ts'
import { encodingCases } from './bad-inputs/encoding-cases.ts'
import { sessionCases, sessionHeaders } from './bad-inputs/session-cases.ts'
import { regressionCases } from './bad-inputs/regression-cases.ts'
import { trustCases } from './bad-inputs/trust-cases.ts'
import { versionCases } from './bad-inputs/version-cases.ts'
import { pageCases } from './bad-inputs/page-cases.ts'
import { deviceTokenCases } from './bad-inputs/device-token-cases.ts'
import {
  ACCOUNT_TABLES,
  pick,
  RECORD_TABLES,
  REQUIRED_TABLES,
  snapshotTables,
} from './bad-inputs/table-snapshot.ts'

/** The catalogue in docs/bad-inputs.md, one test per entry, each named by its number. */
const cases: BadInput[] = [
  ...bodyCases,
  ...typeCases,
  ...sizeCases,
  ...keyCases,
  ...deleteCases,
  ...forgeryCases,
  ...encodingCases,
  ...sessionCases,
  ...regressionCases,
  ...trustCases,
  ...versionCases,
  ...pageCases,
  ...deviceTokenCases,
]

/** The entry numbers docs/bad-inputs.md lists, so the catalogue and the tests cannot drift apart. */
const documented = [
  ...readFileSync(new URL('../../../docs/bad-inputs.md', import.meta.url), 'utf8').matchAll(
    /^\| (\d+) +\|/gm,
  ),
].map((match) => Number(match[1]))

/** Rate limits are not what this suite tests (the accounts tests do); its ~250 requests must not reach them. */
const generous = { limit: 100_000, windowSeconds: 60 }

const responseSchema = syncSchemas(companiesContacts).response

const credentials = (client: SignedInClient): SessionCredentials => ({
  userId: client.user.id,
  email: client.user.email,
  token: client.token,
  csrfToken: client.csrfToken,
})

describe.each(testDatabaseKinds())('bad inputs on %s', (kind) => {
  let server: TestServer
  let ctx: CaseContext

  /** Sends one case's request as a signed-in tab (unless it says `as: 'none'`), with its headers on top. */
  const send = (call: HttpCall) => {
    const headers: Record<string, string> = (call.as ?? 'me') === 'me' && ctx.me ? sessionHeaders(ctx.me) : {}
    if (call.body !== undefined) headers['content-type'] = 'application/json'
    for (const [name, value] of Object.entries(call.headers ?? {})) {
      if (value === '') delete headers[name]
      else headers[name] = value
    }
    const body =
      call.body === undefined
        ? undefined
        : typeof call.body === 'string'
          ? call.body
          : Buffer.isBuffer(call.body)
            ? new Uint8Array(call.body)
            : JSON.stringify(call.body)
    return fetch(`${server.url}${call.path ?? '/api/sync'}`, { method: call.method ?? 'POST', headers, body })
  }

  beforeAll(async () => {
    server = await startTestServer(kind, {
      rateLimits: { sync: generous, syncAccount: generous, signIn: generous, signInIp: generous },
    })
    // Three sessions of the default account (one expired, one signed out) and one of a second account.
    const me = await server.signIn()
    const other = await server.signIn({ email: (await server.createUser()).email })
    const expired = await server.signIn()
    await server.db.sql.query(
      `UPDATE "Session" SET "expiresAt" = now() - interval '1 minute' WHERE "csrfToken" = $1`,
      [expired.csrfToken],
    )
    const signedOut = await server.signIn()
    expect((await signedOut.fetch('/api/auth/sign-out', { method: 'POST' })).status).toBe(204)

    const [a, b, a1] = [randomUUID(), randomUUID(), randomUUID()]
    const appliedSync = syncBody({
      companies: {
        added: [
          { id: -1, uid: a, name: 'Acme Ltd' },
          { id: -2, uid: b, name: 'Bolt plc' },
        ],
        modified: [],
        deleted: [],
      },
      contacts: { added: [{ id: -3, uid: a1, name: 'Ada', companyId: -1 }], modified: [], deleted: [] },
    })
    const res = await me.sync(appliedSync)
    expect(res.status).toBe(200)
    const seeded = await res.json()
    ctx = {
      companyA: { id: seeded.companyIdMap['-1'], uid: a },
      companyB: { id: seeded.companyIdMap['-2'], uid: b },
      contactA1: { id: seeded.contactIdMap['-3'], uid: a1, companyId: seeded.companyIdMap['-1'] },
      appliedSync,
      me: credentials(me),
      other: credentials(other),
      expired: credentials(expired),
      signedOut: credentials(signedOut),
      password: TEST_PASSWORD,
    }
    // Entry 79 deletes "a company by a contact's id": it only tests something if that id names a company too.
    expect(ctx.contactA1.id).toBe(ctx.companyA.id)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('snapshots every table the catalogue promises to leave alone', async () => {
    const snapshot = await snapshotTables(server.db.sql)
    for (const table of [...REQUIRED_TABLES, ...ACCOUNT_TABLES]) expect(snapshot).toHaveProperty(table)
    expect(snapshot.Company).toHaveLength(2)
    expect(snapshot.User).toHaveLength(2)
  })

  it('sees a write in its snapshot, so "nothing changed" can fail', async () => {
    const before = await snapshotTables(server.db.sql)
    expect((await send({ body: addCompany({ name: 'Oracle check' }) })).status).toBe(200)
    const after = await snapshotTables(server.db.sql)
    for (const table of ['Company', 'SyncReceipt', 'SyncState'])
      expect(after[table], table).not.toEqual(before[table])
  })

  const named = cases.map(
    (entry) => [`${entry.no}: ${entry.title} → ${entry.status} ${entry.code}`, entry] as const,
  )
  it.each(named)('%s', async (_name, entry) => {
    const before = await snapshotTables(server.db.sql)
    const res = await send(entry.call(ctx))
    expect(res.status).toBe(entry.status)
    // Never a permissive CORS answer, whatever the input.
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const body = await res.json()
    const after = await snapshotTables(server.db.sql)

    switch (entry.outcome ?? 'refused') {
      case 'refused':
        expect(body.error.code).toBe(entry.code)
        expect(body.error.message).toMatch(entry.message)
        // Clear means short enough to read, however large the input.
        expect(body.error.message.length).toBeLessThan(2000)
        if (entry.details) expect(body.error.details).toMatchObject(entry.details)
        expect(after).toEqual(before)
        break
      case 'rejected':
        expect(responseSchema.safeParse(body).success).toBe(true)
        expect(body.rejected.length).toBeGreaterThan(0)
        for (const rejection of body.rejected) {
          expect(rejection.code).toBe(entry.code)
          expect(rejection.reason).toMatch(entry.message)
        }
        expect(pick(after, RECORD_TABLES)).toEqual(pick(before, RECORD_TABLES))
        break
      case 'harmless':
        expect(responseSchema.safeParse(body).success).toBe(true)
        expect(body.mode).toBe(entry.code)
        expect(after).toEqual(before)
        break
    }
    // Nothing reached Object.prototype in this process, where the server runs.
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.prototype).not.toHaveProperty('isAdmin')

    // Still healthy: the database answers, and my session still syncs a write (no lock left behind).
    const health = await fetch(`${server.url}/api/health`)
    expect(health.status).toBe(200)
    const valid = await send({ body: addCompany({ name: `After entry ${entry.no}` }) })
    expect(valid.status).toBe(200)
    const applied = await valid.json()
    expect(applied.companyIdMap['-1']).toBeGreaterThan(0)
  })

  it('numbers the catalogue in order without repeats, as docs/bad-inputs.md does', () => {
    // Gaps are allowed: groups worked on at once take number ranges of their own (156–189, 190 on).
    const numbers = cases.map((c) => c.no)
    expect(numbers[0]).toBe(1)
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b))
    expect(documented).toEqual(numbers)
  })
})

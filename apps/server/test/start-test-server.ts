import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { createTestDatabase } from '@offline-sync/db/testing'
import { createApp } from '../src/create-app.ts'
import type { TrustProxy } from '../src/http/trust-proxy.ts'
import type { HashingLimits, SignInLanes } from '../src/accounts/hash-gate.ts'
import { createAccountStore, hashPassword, type RateLimits, type User } from '../src/accounts/index.ts'
import { createLiveUpdates, type LiveUpdates } from '../src/live/live-updates.ts'
import { DEFAULT_LIVE_CONFIG, type LiveConfig } from '../src/live/live-config.ts'
import { silentLogger, type Logger } from '../src/logger.ts'

/** Fast scrypt for tests: hashes carry their cost, so the production code verifies them as usual. */
export const TEST_SCRYPT_N = 2 ** 12
export const TEST_PASSWORD = 'correct horse battery'

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>

export interface TestServerOptions {
  /** Share a database with another test server (two instances, one DB); it is then not closed by close(). */
  db?: TestDb
  rateLimits?: Partial<RateLimits>
  /** Passed to createApp (default: loopback, as in production). */
  trustProxy?: TrustProxy
  /** Passed to createApp (default: silent). */
  logger?: Logger
  /** Passed to createApp: host names served besides the defaults. */
  allowedHosts?: string[]
  /** Passed to createApp: concurrent password hashes and queue (default: the production defaults). */
  hashing?: HashingLimits
  /** Passed to createApp: the hashing gates themselves, so a test can hold a slot busy. */
  signInLanes?: SignInLanes
  /** scrypt cost of new hashes, and so of the unknown-email check (default: TEST_SCRYPT_N). */
  scryptN?: number
  /** Live-updates tunables over the defaults (small heartbeat or coalescing windows in tests). */
  live?: Partial<LiveConfig>
}

/** A signed-in browser tab: cookie, CSRF token and account id go with every request. */
export interface SignedInClient {
  user: User
  /** The raw `sid` cookie value. */
  token: string
  csrfToken: string
  /** Headers a signed-in tab sends: Cookie, X-CSRF-Token, X-Account-Id. */
  headers: Record<string, string>
  /** fetch(server.url + path) with `headers` added (init.headers win; a '' value drops a header). */
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** POST /api/sync with a JSON body. */
  sync(body: unknown): Promise<Response>
}

export interface TestServer {
  url: string
  db: TestDb
  /** This instance's live-updates streams. */
  live: LiveUpdates
  /** Row counts of every synced table, to prove a refused request changed nothing. */
  snapshot(): Promise<{ companies: number; contacts: number; receipts: number; cursor: string }>
  /** Creates an account directly in the database (default: a fresh email and TEST_PASSWORD). */
  createUser(email?: string, password?: string): Promise<User & { password: string }>
  /**
   * Signs in through POST /api/auth/sign-in. Without arguments: as the server's default account
   * (user@example.test, created on first use), so repeated calls are several sessions of one account.
   */
  signIn(credentials?: { email: string; password?: string }): Promise<SignedInClient>
  close(): Promise<void>
}

let emailCounter = 0

/** The real app on a throwaway, migrated database, listening on a random loopback port. */
export async function startTestServer(
  kind: 'postgres' | 'pglite',
  options: TestServerOptions = {},
): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase(kind))
  const liveConfig = { ...DEFAULT_LIVE_CONFIG, ...options.live }
  const live = createLiveUpdates({ db, config: liveConfig, logger: options.logger ?? silentLogger })
  const server: Server = createServer(
    createApp({
      db,
      rateLimits: options.rateLimits,
      scryptN: options.scryptN ?? TEST_SCRYPT_N,
      trustProxy: options.trustProxy,
      allowedHosts: options.allowedHosts,
      hashing: options.hashing,
      signInLanes: options.signInLanes,
      logger: options.logger,
      live,
      liveConfig,
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  const accounts = createAccountStore(db.sql)
  let defaultUser: Promise<unknown> | undefined

  const testServer: TestServer = {
    url,
    db,
    live,
    async snapshot() {
      const [row] = await db.sql.query<{
        companies: string
        contacts: string
        receipts: string
        cursor: string
      }>(
        `SELECT (SELECT count(*) FROM "Company")::text AS companies, (SELECT count(*) FROM "Contact")::text AS contacts,
                (SELECT count(*) FROM "SyncReceipt")::text AS receipts,
                COALESCE((SELECT cursor FROM "SyncState" WHERE id = 1), 0)::text AS cursor`,
      )
      return {
        companies: Number(row?.companies),
        contacts: Number(row?.contacts),
        receipts: Number(row?.receipts),
        cursor: String(row?.cursor),
      }
    },
    async createUser(email = `user-${++emailCounter}-${port}@example.test`, password = TEST_PASSWORD) {
      const user = await accounts.create(email, await hashPassword(password, TEST_SCRYPT_N))
      if (!user) throw new Error(`an account ${email} exists already`)
      return { ...user, password }
    },
    async signIn(credentials) {
      if (!credentials) {
        defaultUser ??= (async () => {
          if (!(await accounts.findByEmail('user@example.test')))
            await testServer.createUser('user@example.test')
        })()
        await defaultUser
      }
      const email = credentials?.email ?? 'user@example.test'
      const password = credentials?.password ?? TEST_PASSWORD
      const response = await fetch(`${url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
      if (response.status !== 200)
        throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`)
      const { user, csrfToken } = (await response.json()) as { user: User; csrfToken: string }
      const token = /(?:^|;\s*)sid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
      if (!token) throw new Error('sign-in answered without a sid cookie')
      const headers = { cookie: `sid=${token}`, 'x-csrf-token': csrfToken, 'x-account-id': String(user.id) }
      const client: SignedInClient = {
        user,
        token,
        csrfToken,
        headers,
        fetch(path, init = {}) {
          const merged = new Headers(headers)
          for (const [name, value] of new Headers(init.headers)) {
            if (value === '') merged.delete(name)
            else merged.set(name, value)
          }
          return fetch(`${url}${path}`, { ...init, headers: merged })
        },
        sync(body) {
          return client.fetch('/api/sync', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        },
      }
      return client
    },
    async close() {
      await live.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (!options.db) await db.close()
    },
  }
  return testServer
}

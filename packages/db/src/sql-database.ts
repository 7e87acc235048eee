// The server engine's SQL port on a Prisma client, so one engine runs on Postgres (adapter-pg) and PGlite.
//
// What `$queryRawUnsafe` returns per column type — identical on both adapters (checked by
// test/sql-database.pg.test.ts; numeric checked by hand):
//   bigint (int8)  → JS `bigint`. So is count(*) and sum(int): cast `::int` or `::text` if you want otherwise.
//   integer (int4) → JS `number`
//   numeric        → Prisma `Decimal` object (not a number)
//   timestamptz    → JS `Date` (millisecond precision)
//   uuid           → JS `string`, lower case
//   jsonb / json   → the parsed JS value (object, array, string, number…)
//   text, varchar  → JS `string`; boolean → JS `boolean`; NULL → `null`
// Parameters: strings, numbers, booleans, bigints and null pass as-is and Postgres infers their type from the
// statement, so write `$1::uuid`, `$1::jsonb` (with a JSON string), `$1::bigint` where the context does not fix it.
import { Prisma, type PrismaClient } from './generated/client.ts'

// The server engine's SQL port (packages/sync-server/src/ports.ts), declared here by shape rather than imported, so
// that this package does not depend on the engine whose tests depend on it (issue 12.1, decision 013). TypeScript
// checks that the two agree where apps/server hands `openDatabase(...).sql` to `createServerDataSync`.
export interface SqlExecutor {
  /** Runs one statement and returns its rows; throws on any database error. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `fn` in one READ COMMITTED transaction, re-running it on serialization failures (see below). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>
}

/**
 * The database could not be reached or stayed busy: the client should retry later (apps/server answers 503). The
 * adapter throws it, because only the adapter knows which driver errors mean "unavailable".
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError'
  /**
   * True when the database is up but this request could not get its turn: it waited past the pool's connection
   * timeout, or kept conflicting with other writers. A queue, not an outage: worth a warning, not an error page.
   */
  readonly busy: boolean

  constructor(message: string, options: { cause?: unknown; busy?: boolean } = {}) {
    super(message, { cause: options.cause })
    this.busy = options.busy ?? false
  }
}

export interface PrismaSqlDatabaseOptions {
  /** How many times a transaction is run in all when it keeps hitting serialization failures. Default 5. */
  maxAttempts?: number
  /** Base delay before a retry; doubled each attempt, with jitter. Default 20 ms. */
  retryBaseDelayMs?: number
}

type RawQueryClient = Pick<PrismaClient, '$queryRawUnsafe'>

/**
 * Implements the engine's `SqlDatabase` port on `prisma`. `query` runs one statement outside any transaction;
 * `transaction` runs `fn` in one READ COMMITTED interactive transaction, re-running all of it on a
 * serialization failure or deadlock (SQLSTATE 40001 / 40P01, Prisma P2034). Connection failures, and
 * conflicts that outlast the retries, are thrown as `DatabaseUnavailableError`; other errors are rethrown as is.
 */
export function prismaSqlDatabase(prisma: PrismaClient, options: PrismaSqlDatabaseOptions = {}): SqlDatabase {
  const maxAttempts = options.maxAttempts ?? 5
  const baseDelay = options.retryBaseDelayMs ?? 20

  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        return await run<T>(prisma, sql, params)
      } catch (error) {
        throw asUnavailable(error) ?? error
      }
    },

    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await prisma.$transaction((tx) => fn(executor(tx)), {
            isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
            maxWait: 30_000,
            timeout: 120_000,
          })
        } catch (error) {
          const unavailable = asUnavailable(error)
          if (unavailable) throw unavailable
          if (!isRetryableConflict(error)) throw error
          if (attempt >= maxAttempts) {
            throw new DatabaseUnavailableError(
              `transaction still conflicting after ${attempt} attempts: ${messageOf(error)}`,
              { cause: error, busy: true },
            )
          }
          // Jitter keeps two conflicting transactions from retrying in lockstep.
          await sleep(baseDelay * 2 ** (attempt - 1) * (0.5 + Math.random()))
        }
      }
    },
  }
}

function executor(client: RawQueryClient): SqlExecutor {
  return { query: <T>(sql: string, params: readonly unknown[] = []) => run<T>(client, sql, params) }
}

function run<T>(client: RawQueryClient, sql: string, params: readonly unknown[]): Promise<T[]> {
  return client.$queryRawUnsafe<T[]>(sql, ...params)
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01'])
const RETRYABLE_PRISMA_CODES = new Set(['P2034'])
const RETRYABLE_KINDS = new Set(['TransactionWriteConflict'])

// P1001 can't reach server, P1002 timed out, P1008 operation timed out, P1017 server closed the connection,
// P2024 timed out fetching a connection from the pool, P2028 transaction could not start within maxWait or
// outlived its timeout (the database is too busy for this request).
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028'])
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
])
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
])
// SQLSTATE class 08 = connection exception; 57P01-57P03 = admin shutdown, crash shutdown, cannot connect now;
// 53300 = too many connections.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/
const UNAVAILABLE_MESSAGES =
  /connection terminated|connection refused|can't reach database|cannot reach database|server closed the connection|timeout exceeded when trying to connect|econnrefused|pglite is closed/i

const POOL_TIMEOUT = /timeout exceeded when trying to connect/i

/** The codes found anywhere on the error, its `cause` chain and Prisma's `meta` (adapters nest them). */
function codesOf(error: unknown): { codes: Set<string>; kinds: Set<string>; messages: string[] } {
  const codes = new Set<string>()
  const kinds = new Set<string>()
  const messages: string[] = []
  const seen = new Set<unknown>()
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) return
    seen.add(value)
    const record = value as Record<string, unknown>
    for (const key of ['code', 'originalCode', 'errno']) {
      const code = record[key]
      if (typeof code === 'string') codes.add(code)
    }
    if (typeof record.kind === 'string') kinds.add(record.kind)
    for (const key of ['message', 'originalMessage']) {
      const message = record[key]
      if (typeof message === 'string') messages.push(message)
    }
    for (const key of ['cause', 'meta', 'driverAdapterError', 'error']) visit(record[key], depth + 1)
  }
  visit(error, 0)
  return { codes, kinds, messages }
}

function isRetryableConflict(error: unknown): boolean {
  const { codes, kinds } = codesOf(error)
  return (
    [...codes].some((c) => RETRYABLE_SQLSTATES.has(c) || RETRYABLE_PRISMA_CODES.has(c)) ||
    [...kinds].some((k) => RETRYABLE_KINDS.has(k))
  )
}

/** A `DatabaseUnavailableError` when `error` means the database cannot be reached, else undefined. */
export function asUnavailable(error: unknown): DatabaseUnavailableError | undefined {
  if (error instanceof DatabaseUnavailableError) return error
  const { codes, kinds, messages } = codesOf(error)
  const unavailable =
    [...codes].some(
      (c) => UNAVAILABLE_PRISMA_CODES.has(c) || UNAVAILABLE_NODE_CODES.has(c) || UNAVAILABLE_SQLSTATE.test(c),
    ) ||
    [...kinds].some((k) => UNAVAILABLE_KINDS.has(k)) ||
    error instanceof Prisma.PrismaClientInitializationError ||
    messages.some((m) => UNAVAILABLE_MESSAGES.test(m))
  if (!unavailable) return undefined
  // pg's pool says this when every connection stayed in use for connectionTimeoutMillis: the database answers.
  const busy = messages.some((m) => POOL_TIMEOUT.test(m))
  return busy
    ? new DatabaseUnavailableError(`database busy: ${messageOf(error)}`, { cause: error, busy })
    : new DatabaseUnavailableError(`database unavailable: ${messageOf(error)}`, { cause: error })
}

/** Prisma prefixes "Invalid `prisma.$queryRawUnsafe()` invocation:" and blank lines; keep the useful last line. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (
    message
      .split('\n')
      .filter((line) => line.trim() !== '')
      .at(-1) ?? message
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

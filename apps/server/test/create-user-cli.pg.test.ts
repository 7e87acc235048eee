import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { migrate, openDatabase } from '@offline-sync/db'
import { createTestDatabase } from '@offline-sync/db/testing'
import { startTestServer, type TestServer } from './start-test-server.ts'

const repoRoot = join(import.meta.dirname, '../../..')

/** Runs the CLI as a user would (through the root npm script's command), without a terminal on stdin. */
function createUser(
  databaseUrl: string,
  args: string[],
  password?: string,
  env: Record<string, string> = {},
) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/cli/create-user.ts', ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: databaseUrl, USER_PASSWORD: password ?? '', ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
    child.stdin?.end()
  })
}

// The CLI takes the server's DATABASE_URL; one real Postgres database is enough to prove it.
describe('npm run user:create', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let server: TestServer
  beforeAll(async () => {
    db = await createTestDatabase('postgres')
    server = await startTestServer('postgres', { db })
  })
  afterAll(async () => {
    await server?.close()
    await db?.close()
  })
  const users = async () => db.sql.query<{ email: string }>('SELECT email FROM "User" ORDER BY id')

  it('creates an account that can then sign in', async () => {
    const result = await createUser(db.url!, ['--email', ' Owner@Example.test'], 'a long enough password')
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/created account \d+ \(owner@example.test\)/),
    })
    const signedIn = await server.signIn({ email: 'owner@example.test', password: 'a long enough password' })
    expect(signedIn.user.email).toBe('owner@example.test')
    expect(await (await fetch(`${server.url}/api/setup`)).json()).toEqual({ needed: false })
  })

  it('refuses an email that has an account, with exit code 1 and nothing changed', async () => {
    const before = await users()
    const result = await createUser(db.url!, ['--email', 'owner@example.test'], 'another long password')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/exists already/)
    expect(await users()).toEqual(before)
  })

  it('refuses bad input with exit code 2 and a clear message', async () => {
    const before = await users()
    const cases: [string[], string | undefined, RegExp][] = [
      [[], 'a long enough password', /--email is required/],
      [['--email', 'not-an-email'], 'a long enough password', /email "not-an-email"/],
      [['--email', 'short@example.test'], 'short', /password: At least 10 characters/],
      [['--email', 'nopass@example.test'], undefined, /set USER_PASSWORD/],
    ]
    for (const [args, password, message] of cases) {
      const result = await createUser(db.url!, args, password)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(message)
    }
    expect(await users()).toEqual(before)
  })
})

// The embedded database is one process per folder: the CLI beside a running server must not open it.
describe('npm run user:create on the embedded database', () => {
  it('refuses while another process has the folder open, changing nothing; works once it is closed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'create-user-pglite-'))
    try {
      const server = await openDatabase({ dataDir }) // stands for the running server
      const count = async (db: typeof server) =>
        (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "User"'))[0]?.n
      try {
        await migrate(server)
        const refused = await createUser('', ['--email', 'pglite@example.test'], 'a long enough password', {
          DATA_DIR: dataDir,
        })
        expect(refused.code).toBe(1)
        expect(refused.stderr).toContain(`is open in process ${process.pid}`)
        expect(await count(server)).toBe(0)
      } finally {
        await server.close()
      }
      const created = await createUser('', ['--email', 'pglite@example.test'], 'a long enough password', {
        DATA_DIR: dataDir,
      })
      expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/created account/) })
      const reopened = await openDatabase({ dataDir })
      try {
        expect(await count(reopened)).toBe(1)
      } finally {
        await reopened.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

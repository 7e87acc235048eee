import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { createTestDatabase } from '@offline-sync/db/testing'
import { startTestServer, type TestServer } from './start-test-server.ts'

const repoRoot = join(import.meta.dirname, '../../..')

/** Runs the CLI as a user would (through the root npm script's command), without a terminal on stdin. */
function createUser(databaseUrl: string, args: string[], password?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/cli/create-user.ts', ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: databaseUrl, USER_PASSWORD: password ?? '' },
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

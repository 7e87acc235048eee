import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { APIRequestContext } from '@playwright/test'
import { repoRoot } from './paths.ts'

/**
 * Every test signs its browser in (e2e/support/test.ts), all as the same account from the same IP: far more
 * attempts than the production limit allows in 15 minutes. The limits themselves are tested in apps/server.
 */
export const e2eServerEnv = { RATE_LIMIT_SIGN_IN: '10000', RATE_LIMIT_SIGN_IN_IP: '10000' }

export interface Credentials {
  email: string
  password: string
}

/** The account global setup created through POST /api/setup; every test's browser is signed in as it. */
export function e2eAccount(): Credentials {
  const email = process.env.E2E_EMAIL
  const password = process.env.E2E_PASSWORD
  if (!email || !password)
    throw new Error('E2E_EMAIL / E2E_PASSWORD are not set: global setup creates that account')
  return { email, password }
}

/** The account id and CSRF token of a sign-in or session answer. */
export interface SignedIn {
  user: { id: number; email: string }
  csrfToken: string
}

/**
 * Signs a browser context in through its own request context, which shares the cookie jar with the context's
 * pages: the app then opens signed in, as after a real sign-in. Throws with the server's answer when refused.
 */
export async function signInContext(
  request: APIRequestContext,
  baseURL: string,
  credentials: Credentials = e2eAccount(),
): Promise<SignedIn> {
  const response = await request.post(`${baseURL}/api/auth/sign-in`, { data: credentials })
  if (response.status() !== 200)
    throw new Error(`POST /api/auth/sign-in answered ${response.status()}: ${await response.text()}`)
  return (await response.json()) as SignedIn
}

/** POST /api/setup with plain fetch: creates the first account of a fresh server. */
export async function createFirstAccount(baseURL: string, credentials: Credentials): Promise<void> {
  const response = await fetch(`${baseURL}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  })
  if (response.status !== 201)
    throw new Error(`POST /api/setup answered ${response.status}: ${await response.text()}`)
}

/**
 * Adds a further account with the real CLI (`npm run user:create`), as an administrator would, against the
 * database of the run. Resolves when the CLI exits 0; throws with its output otherwise.
 */
export async function createUser(databaseUrl: string, credentials: Credentials): Promise<void> {
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs')
  const child = spawn(
    process.execPath,
    [tsx, 'apps/server/src/cli/create-user.ts', '--email', credentials.email],
    {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, USER_PASSWORD: credentials.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`user:create --email ${credentials.email} exited ${code}:\n${output}`)
}

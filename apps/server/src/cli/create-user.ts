// `npm run user:create -- --email a@b.c`: adds an account (the first one, or any further one). The password comes
// from USER_PASSWORD, else from a prompt on the terminal without echo. Uses the server's database settings
// (DATABASE_URL, else the embedded PGlite folder DATA_DIR) and applies pending migrations first.
// Exit codes: 0 created, 1 not created (email taken, database failure), 2 bad usage or input.
import { parseArgs } from 'node:util'
import { DatabaseInUseError, migrate, openDatabase } from '@offline-sync/db'
import { createAccountStore } from '../accounts/account-store.ts'
import { emailProblems, normaliseEmail, passwordProblems } from '../accounts/credentials.ts'
import { hashPassword } from '../accounts/password-hash.ts'
import { readConfig } from '../config.ts'
import { loadEnvFile } from '../env-file.ts'
import { promptHidden } from './prompt-hidden.ts'

const USAGE = 'usage: npm run user:create -- --email <address>   (password from USER_PASSWORD or a prompt)'

function fail(code: 1 | 2, message: string): never {
  console.error(`user:create: ${message}`)
  process.exit(code)
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.USER_PASSWORD
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (!process.stdin.isTTY)
    fail(2, 'no password: set USER_PASSWORD, or run this in a terminal to be asked for it')
  const password = await promptHidden('Password: ')
  if ((await promptHidden('Password again: ')) !== password)
    fail(2, 'the two passwords differ; nothing created')
  return password
}

let email: string
try {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true })
  if (!values.email) fail(2, `--email is required\n${USAGE}`)
  email = normaliseEmail(values.email)
} catch (err) {
  fail(2, `${(err as Error).message}\n${USAGE}`)
}
const emailProblem = emailProblems(email)[0]
if (emailProblem) fail(2, `email "${email}": ${emailProblem.message}`)
const password = await readPassword()
const passwordProblem = passwordProblems(password)[0]
if (passwordProblem) fail(2, `password: ${passwordProblem.message}`)

let config: ReturnType<typeof readConfig>
try {
  loadEnvFile()
  config = readConfig()
} catch (err) {
  fail(2, (err as Error).message)
}
let created: { id: number; email: string } | null
try {
  // One process per PGlite folder: openDatabase refuses (DatabaseInUseError) while the server has it open.
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await migrate(db)
    created = await createAccountStore(db.sql).create(email, await hashPassword(password))
  } finally {
    await db.close()
  }
} catch (err) {
  fail(1, err instanceof DatabaseInUseError ? err.message : `the database failed: ${(err as Error).message}`)
}
if (!created) fail(1, `an account with the email ${email} exists already; nothing changed`)
console.log(`created account ${created.id} (${created.email})`)

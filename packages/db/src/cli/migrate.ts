// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite folder DATA_DIR (the
// server's name for it; default data/pglite; a relative path is read from the repository root, as the server
// reads it, whatever folder npm runs this in) when DATABASE_URL is not set. Reads the repository's `.env` when there
// is one, as the server does; variables already set win. Prints what was applied.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { migrate } from '../migrate.ts'
import { openDatabase, repoRoot } from '../open-database.ts'

const envFile = join(repoRoot, '.env')
if (existsSync(envFile)) process.loadEnvFile(envFile)
const databaseUrl = process.env.DATABASE_URL || undefined
const dataDir = process.env.DATA_DIR
const handle = await openDatabase(
  databaseUrl ? { databaseUrl } : dataDir ? { dataDir: resolve(repoRoot, dataDir) } : {},
)
try {
  const { applied } = await migrate(handle)
  const target = handle.kind === 'postgres' ? 'postgres' : 'embedded PGlite'
  if (applied.length === 0) console.log(`${target}: no pending migrations`)
  for (const name of applied) console.log(`${target}: applied ${name}`)
} finally {
  await handle.close()
}

// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite folder
// (PGLITE_DIR, default data/pglite) when DATABASE_URL is not set. Prints what was applied.
import { migrate } from '../migrate.ts'
import { openDatabase } from '../open-database.ts'

const databaseUrl = process.env.DATABASE_URL
const handle = await openDatabase(
  databaseUrl ? { databaseUrl } : process.env.PGLITE_DIR ? { dataDir: process.env.PGLITE_DIR } : {},
)
try {
  const { applied } = await migrate(handle)
  const target = handle.kind === 'postgres' ? 'postgres' : 'embedded PGlite'
  if (applied.length === 0) console.log(`${target}: no pending migrations`)
  for (const name of applied) console.log(`${target}: applied ${name}`)
} finally {
  await handle.close()
}

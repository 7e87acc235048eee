// `npm run db:diff -- --name <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql from the
// difference between the existing migrations and prisma/schema.prisma, like `prisma migrate dev --create-only`.
// Replays the migrations on a throwaway shadow database: in-memory PGlite, or a temporary database on
// DATABASE_URL's server when that is set.
import { mkdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultMigrationsDir, diffSchema, migrationLockToml } from '../migrate.ts'
import { openDatabase, repoRoot } from '../open-database.ts'

const { values, positionals } = parseArgs({ options: { name: { type: 'string' } }, allowPositionals: true })
// Through the root script (`npm run db:diff -- --name x` → `npm run diff -w packages/db --name x`) the inner
// npm takes `--name` as its own config and hands it over only as npm_config_name.
const rawName = values.name ?? positionals[0] ?? process.env.npm_config_name
const name = rawName?.trim().replace(/[^A-Za-z0-9_]+/g, '_')
if (!name) {
  console.error('usage: npm run db:diff -- --name <migration_name>')
  process.exit(2)
}

const databaseUrl = process.env.DATABASE_URL
const handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: 'memory://' })
try {
  const script = await diffSchema(handle, { from: 'migrations' })
  if (script === '') {
    console.log('no changes')
  } else {
    const folder = join(defaultMigrationsDir, `${timestamp(new Date())}_${name}`)
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'migration.sql'), script)
    await writeFile(join(defaultMigrationsDir, 'migration_lock.toml'), migrationLockToml)
    console.log(`wrote ${relative(repoRoot, join(folder, 'migration.sql'))}`)
  }
} finally {
  await handle.close()
}

/** Prisma's migration folder prefix: UTC YYYYMMDDHHMMSS. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

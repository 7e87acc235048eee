import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultMigrationsDir, diffSchema, migrate, type DbHandle } from '../src/index.ts'
import { createTestDatabase, testDatabaseKinds } from '../src/testing.ts'

const migrationNames = (await readdir(defaultMigrationsDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

describe.each(testDatabaseKinds())('migrations on %s', (kind) => {
  let db: DbHandle

  beforeAll(async () => {
    db = await createTestDatabase(kind, { migrate: false })
  })
  afterAll(async () => {
    await db?.close()
  })

  it('applies every migration folder to an empty database, in name order', async () => {
    expect(migrationNames.length).toBeGreaterThan(0)
    const { applied } = await migrate(db)
    expect(applied).toEqual(migrationNames)
    const tables = await db.sql.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    )
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'Company',
        'Contact',
        'SyncReceipt',
        'SyncState',
        'Tombstone',
        '_prisma_migrations',
      ]),
    )
  })

  it('records each migration with its checksum, as prisma migrate deploy does', async () => {
    const rows = await db.sql.query<{
      migration_name: string
      checksum: string
      finished_at: Date | null
      rolled_back_at: Date | null
      applied_steps_count: number
    }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    )
    const expected = await Promise.all(
      migrationNames.map(async (name) => ({
        migration_name: name,
        // Prisma's checksum is the SHA-256 of the migration.sql bytes, hex encoded.
        checksum: createHash('sha256')
          .update(await readFile(join(defaultMigrationsDir, name, 'migration.sql')))
          .digest('hex'),
        rolled_back_at: null,
        applied_steps_count: 1,
      })),
    )
    expect(rows).toMatchObject(expected)
    for (const row of rows) expect(row.finished_at).toBeInstanceOf(Date)
  })

  it('re-applying the migrations applies nothing', async () => {
    expect(await migrate(db)).toEqual({ applied: [] })
    const [count] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM _prisma_migrations')
    expect(count?.n).toBe(migrationNames.length)
  })

  it('has no drift: the migrations produce exactly schema.prisma', async () => {
    expect(await diffSchema(db, { from: 'migrations' })).toBe('')
  })

  it('diffs from an empty database to the whole schema', async () => {
    const script = await diffSchema(db, { from: 'empty' })
    expect(script).toContain('CREATE TABLE "Company"')
    expect(script).toContain('CREATE UNIQUE INDEX "Contact_uid_key"')
  })
})

describe.each(testDatabaseKinds())('hand-written migrations on %s', (kind) => {
  let dir: string
  let db: DbHandle

  const addMigration = async (name: string, sql: string) => {
    await mkdir(join(dir, name))
    await writeFile(join(dir, name, 'migration.sql'), sql)
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrations-'))
    await cp(defaultMigrationsDir, dir, { recursive: true })
    db = await createTestDatabase(kind, { migrate: false })
  })
  afterAll(async () => {
    await db?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('a migration with ";" inside a string and a $$ body is applied whole', async () => {
    await addMigration(
      '99990101000000_semicolons',
      `CREATE TABLE "Note" (body text NOT NULL DEFAULT 'a;b');\n` +
        `CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM "Note"; $$;\n` +
        `INSERT INTO "Note" DEFAULT VALUES;\n`,
    )
    expect(await migrate(db, { migrationsDir: dir })).toEqual({
      applied: [...migrationNames, '99990101000000_semicolons'],
    })
    expect(await db.sql.query('SELECT body, note_count()::int AS n FROM "Note"')).toEqual([
      { body: 'a;b', n: 1 },
    ])
  })

  it('a failing migration throws, leaves nothing of itself behind, and blocks later runs like migrate deploy', async () => {
    await addMigration(
      '99990102000000_broken',
      'CREATE TABLE "Partial" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n',
    )
    await expect(migrate(db, { migrationsDir: dir })).rejects.toThrow(/99990102000000_broken/)
    const rows = await db.sql.query<{ migration_name: string; finished_at: Date | null }>(
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    )
    expect(rows.map((r) => [r.migration_name, r.finished_at !== null])).toEqual([
      ...migrationNames.map((name) => [name, true]),
      ['99990101000000_semicolons', true],
      ['99990102000000_broken', false],
    ])
    // The script ran as one implicit transaction: its first statement was rolled back with the failing one.
    expect(await db.sql.query(`SELECT to_regclass('"Partial"')::text AS t`)).toEqual([{ t: null }])
    await expect(migrate(db, { migrationsDir: dir })).rejects.toThrow(/failed migrations/i)
  })
})

export {
  openDatabase,
  pgliteDatabase,
  defaultPgliteDir,
  type DbHandle,
  type OpenDatabaseOptions,
} from './open-database.ts'
export { type NoticeHandlers, type NoticeListener } from './change-listener.ts'
export { DatabaseInUseError, lockFolder, LOCK_FILE } from './folder-lock.ts'
export {
  migrate,
  diffSchema,
  readMigrations,
  defaultMigrationsDir,
  defaultSchemaPath,
  type DiffSchemaOptions,
} from './migrate.ts'
export { prismaSqlDatabase, asUnavailable, type PrismaSqlDatabaseOptions } from './sql-database.ts'
export { PrismaClient, Prisma } from './generated/client.ts'

// pglite-prisma-adapter, made safe for the schema engine.
//
// Trap 1: its executeScript() calls `client.exec(script)` without awaiting it, so a failing migration was
// recorded in _prisma_migrations as applied (the error became an unhandled rejection), and the engine went on
// before the script had finished. We await it and report errors the way adapters must (DriverAdapterError).
// Trap 2: its connectToShadowDb() opens an in-memory PGlite that is never closed; ours closes on dispose.
import { PGlite } from '@electric-sql/pglite'
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { toDriverAdapterError } from './driver-error.ts'

/** The factory the schema engine migrates `pglite` through; the shadow database is a separate in-memory PGlite. */
export function pgliteMigrationAdapterFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const reference = new PrismaPGlite(pglite)
  return {
    provider: reference.provider,
    adapterName: reference.adapterName,
    connect: () => connect(pglite),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const shadow = await PGlite.create('memory://')
      const adapter = await connect(shadow)
      adapter.dispose = () => shadow.close()
      return adapter
    },
  }
}

async function connect(pglite: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(pglite).connect()
  adapter.executeScript = async (script: string) => {
    try {
      await pglite.exec(script)
    } catch (error) {
      throw toDriverAdapterError(error)
    }
  }
  return adapter
}

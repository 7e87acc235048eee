// Loads Prisma's schema engine compiled to WebAssembly. The CLI's native engine binary cannot be downloaded
// here, and the wasm engine talks to the database through a driver adapter, so the same code migrates
// Postgres (adapter-pg) and the embedded PGlite.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import type { SchemaEngine } from '@prisma/schema-engine-wasm'

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm') & {
  __wbg_set_wasm(exports: WebAssembly.Exports): void
}

let loading: Promise<SchemaEngineModule> | undefined

/**
 * The wasm module, instantiated once per process. The package is a bundler build (`import x from './x.wasm'`),
 * which Node cannot load, so we wire the wasm-bindgen glue by hand: the glue module is the import object of
 * the wasm instance, and the instance's exports are handed back to the glue.
 */
export function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url)
    const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm'))
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as SchemaEngineModule
    const bytes = await readFile(join(packageDir, 'schema_engine_bg.wasm'))
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
    return bg
  })()
  return loading
}

/** Where the engine's log lines go; silent unless the caller asks. */
export type EngineLog = (message: string) => void

/**
 * Runs `fn` with a schema engine connected through `adapterFactory` (which must also be able to open a shadow
 * database, as `diff` from migrations needs one), and frees the engine afterwards, even when `fn` throws.
 * Engine errors are thrown as `Error`s carrying the engine's message.
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  log?: EngineLog,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngineModule()
  const tracked = trackAdapters(adapterFactory)
  try {
    const engine = await SchemaEngine.new(
      { datamodels: undefined },
      (line: string) => log?.(line),
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    ).catch((error: unknown) => {
      throw toError(error)
    })
    try {
      return await fn(engine).catch((error: unknown) => {
        throw toError(error)
      })
    } finally {
      engine.free()
    }
  } finally {
    await tracked.disposeAll()
  }
}

/**
 * `engine.free()` does not dispose the adapters the engine opened: on Postgres the connection stayed open and
 * kept holding the engine's advisory lock (pg_advisory_lock(72707369)), so the next migrate timed out after
 * 10 s. We remember every adapter and dispose each exactly once (the engine does dispose its shadow database).
 */
function trackAdapters(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory
  disposeAll(): Promise<void>
} {
  const opened: SqlDriverAdapter[] = []
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const dispose = adapter.dispose.bind(adapter)
    let disposed: Promise<void> | undefined
    adapter.dispose = () => (disposed ??= dispose())
    opened.push(adapter)
    return adapter
  }
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => track(await factory.connect()),
      connectToShadowDb: async () => track(await factory.connectToShadowDb()),
    },
    async disposeAll() {
      await Promise.allSettled(opened.map((adapter) => adapter.dispose()))
    },
  }
}

/** The engine rejects with plain objects or strings; make them real errors so stack traces and `instanceof` work. */
function toError(error: unknown): Error {
  if (error instanceof Error) return error
  if (typeof error === 'string') return new Error(error)
  if (
    error !== null &&
    typeof error === 'object' &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return Object.assign(new Error(error.message), error)
  }
  return new Error(JSON.stringify(error))
}

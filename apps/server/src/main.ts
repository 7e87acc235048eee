import { createServer } from 'node:http'
import { DatabaseInUseError, openDatabase, migrate } from '@offline-sync/db'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { createServerDataSync } from '@offline-sync/sync-server'
import { createApp } from './create-app.ts'
import { createRateLimiter, createSessionStore } from './accounts/index.ts'
import { readConfig } from './config.ts'
import { loadEnvFile } from './env-file.ts'
import { createLogger } from './logger.ts'
import { installCrashHandlers } from './process-guard.ts'
import { createLiveUpdates } from './live/live-updates.ts'

loadEnvFile()
const config = readConfig()
const logger = createLogger({ level: config.logLevel })
// Installed before anything can fail; `stop` is only called once the server exists (it is hoisted below).
installCrashHandlers({ logger, stop: () => stop() })

const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(
  (err: unknown) => {
    // Another server (or the user:create CLI) has the embedded database open: say so plainly, not as a crash.
    if (!(err instanceof DatabaseInUseError)) throw err
    logger.error(`cannot start: ${err.message}`)
    process.exit(1)
  },
)
const { applied } = await migrate(db)
logger.info('database ready', {
  kind: db.kind,
  where: config.databaseUrl ? new URL(config.databaseUrl).host : config.dataDir,
  migrationsApplied: applied,
})

const live = createLiveUpdates({ db, config: config.live, logger })
const app = createApp({
  db,
  live,
  liveConfig: config.live,
  page: config.page,
  logger,
  webDistDir: config.webDistDir,
  version: process.env.npm_package_version,
  rateLimits: config.rateLimits,
  trustProxy: config.trustProxy,
  allowedHosts: config.allowedHosts,
  hashing: config.hashing,
})
const server = createServer(app)
server.listen(config.port, config.host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  logger.info('listening', { url: `http://localhost:${port}`, database: db.kind })
})

// Receipts and tombstones are only needed within the devices' retry horizon; expired sessions and old rate-limit
// windows never count again. Prune them daily so the tables stay small.
const pruneDaily = async () => {
  try {
    logger.info('pruned sync bookkeeping', {
      ...(await createServerDataSync(companiesContacts, db.sql).prune()),
      expiredSessions: await createSessionStore(db.sql).deleteExpired(),
      staleRateLimitBuckets: await createRateLimiter(db.sql).deleteStale(),
    })
  } catch (err) {
    logger.warn('prune failed', { error: String(err) })
  }
}
void pruneDaily()
setInterval(() => void pruneDaily(), 24 * 60 * 60 * 1000).unref()

// Graceful shutdown: stop taking requests, let in-flight syncs commit, then close the database.
let stopping: Promise<void> | undefined
function stop(): Promise<void> {
  stopping ??= (async () => {
    if (server.listening) {
      const closed = new Promise<void>((done) => server.once('close', () => done()))
      server.close()
      server.closeIdleConnections()
      // Event streams never end by themselves: close them (devices reconnect, maybe to another instance).
      await live.close()
      await closed
    } else await live.close()
    await db.close()
  })()
  return stopping
}
async function shutdown(signal: string) {
  if (stopping) return
  logger.info('shutting down', { signal })
  const forced = setTimeout(() => {
    logger.error('shutdown timed out; exiting')
    process.exit(1)
  }, 15_000)
  forced.unref()
  await stop()
  logger.info('stopped')
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal))

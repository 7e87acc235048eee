import { join } from 'node:path'
import { startServerProcess, type ServerProcess } from '@offline-sync/test-support/server-process'

/**
 * Every load run is many sessions and syncs from one IP on purpose: the limits would measure themselves, not the
 * servers. (The limits have their own tests.)
 */
const UNLIMITED = {
  RATE_LIMIT_SYNC: '1000000',
  RATE_LIMIT_SYNC_ACCOUNT: '1000000',
  RATE_LIMIT_SIGN_IN: '1000000',
  RATE_LIMIT_SIGN_IN_IP: '1000000',
  RATE_LIMIT_SYNC_EVENTS: '1000000',
}

/**
 * Starts instances a and b of the server on one database, one after the other (the first migrates it, the second
 * finds it migrated), pushing each onto `servers` as soon as it is up so the caller's cleanup stops whatever started.
 */
export async function startTwoInstances(
  servers: ServerProcess[],
  databaseUrl: string,
  logDir: string,
): Promise<[ServerProcess, ServerProcess]> {
  for (const name of ['a', 'b'])
    servers.push(
      await startServerProcess({ databaseUrl, logFile: join(logDir, `server-${name}.log`), env: UNLIMITED }),
    )
  return servers as [ServerProcess, ServerProcess]
}

import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { repoRoot } from './paths.ts'

export interface ServerProcess {
  baseURL: string
  /** SIGTERM (graceful shutdown), then SIGKILL if it does not exit in time. Resolves once the process is gone. */
  stop(): Promise<void>
}

/** Asks the OS for a port nobody listens on. Another process could take it before the server does; unlikely here. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Starts the REAL server (`apps/server/src/main.ts` under tsx, as `npm start` does) on a free port against
 * `databaseUrl`; it migrates the database at start. Resolves when GET /api/health answers 200; throws with the
 * tail of the server log if it exits or does not become healthy within `timeoutMs`.
 */
export async function startServer(options: {
  databaseUrl: string
  logFile: string
  timeoutMs?: number
  /** Extra environment for the server (e.g. rate limits). */
  env?: Record<string, string>
}): Promise<ServerProcess> {
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const log = createWriteStream(options.logFile)
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs')
  const child = spawn(process.execPath, [tsx, 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      WEB_DIST_DIR: join(repoRoot, 'apps/web/dist'),
      LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? 'info',
      ...options.env,
    },
    // Its own process group, so stop() also reaches the node process tsx starts under it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // Already gone.
    }
  }
  const stop = async () => {
    killGroup('SIGTERM')
    const timer = setTimeout(() => killGroup('SIGKILL'), 10_000)
    await exited(child)
    clearTimeout(timer)
    log.end()
  }

  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const response = await fetch(`${baseURL}/api/health`)
      if (response.ok) return { baseURL, stop }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await stop()
  const tail = (await readFile(options.logFile, 'utf8').catch(() => '')).split('\n').slice(-40).join('\n')
  throw new Error(`The server did not become healthy at ${baseURL}/api/health. Server log:\n${tail}`)
}

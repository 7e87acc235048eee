import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..')

export interface ServerProcess {
  baseURL: string
  port: number
  /** The spawned process (tsx's launcher; the server runs in its child node process). */
  pid: number
  /** Sends `signal` to the server's process group and resolves once it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>
  /** Graceful stop (SIGTERM), SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>
  /** True while the process has not exited. */
  running(): boolean
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
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
 * Starts the REAL server (`apps/server/src/main.ts` under tsx, as `npm start` does) against `databaseUrl`, on
 * `port` (a free one by default; a restart passes the old one so clients find it again). The log (JSON lines) is
 * appended to `logFile`. Resolves when GET /api/health answers 200; throws with the log's tail otherwise.
 * e2e/support/server-process.ts builds on it; the fault tests also kill it with any signal.
 */
export async function startServerProcess(options: {
  databaseUrl: string
  logFile: string
  port?: number
  env?: Record<string, string>
  timeoutMs?: number
}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort())
  const baseURL = `http://127.0.0.1:${port}`
  const log = createWriteStream(options.logFile, { flags: 'a' })
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs')
  const child = spawn(process.execPath, [tsx, 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    // Its own process group: a signal must reach the node process tsx runs the server in, not only tsx.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log, { end: false })
  child.stderr?.pipe(log, { end: false })
  child.once('exit', () => log.end())

  const kill = async (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // Already gone.
    }
    await exited(child)
  }
  const stop = async () => {
    const timer = setTimeout(() => void kill('SIGKILL'), 10_000)
    await kill('SIGTERM')
    clearTimeout(timer)
  }

  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${baseURL}/api/health`)
      if (response.ok)
        return {
          baseURL,
          port,
          pid: child.pid ?? 0,
          kill,
          stop,
          running: () => child.exitCode === null && child.signalCode === null,
        }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await kill('SIGKILL')
  const tail = (await readFile(options.logFile, 'utf8').catch(() => '')).split('\n').slice(-40).join('\n')
  throw new Error(`The server did not become healthy at ${baseURL}/api/health. Server log:\n${tail}`)
}

/**
 * Resident memory of a process and all its descendants, in bytes, read from Linux /proc; 0 once it has ended. The
 * tree, because a ServerProcess's pid is tsx's launcher and the server runs in its child.
 */
export function treeRss(pid: number): number {
  let kb = 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      for (const child of children ? children.split(/\s+/) : []) kb += treeRss(Number(child)) / 1024
    }
  } catch {
    // The process ended meanwhile.
  }
  return kb * 1024
}

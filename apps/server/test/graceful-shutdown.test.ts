import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { LOCK_FILE } from '@offline-sync/db'

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

/** The real server (node --import tsx, not npx: signals must reach the server process itself) on a PGlite folder. */
function startServer(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: join(import.meta.dirname, '../../..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const run = {
    child,
    output: '',
    exited: new Promise<number | null>((resolve) => child.on('exit', resolve)),
  }
  child.stdout.on('data', (chunk: Buffer) => (run.output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (run.output += chunk.toString()))
  return run
}

describe('server process', () => {
  it('starts on an empty embedded database, keeps a second server off its folder, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pglite-start-'))
    const port = await freePort()
    const server = startServer(dataDir, port)
    const { child, exited } = server
    let second: ReturnType<typeof startServer> | undefined
    try {
      const output = () => server.output
      await expect
        .poll(() => output().includes('"message":"listening"'), { timeout: 60_000, interval: 200 })
        .toBe(true)
      const health = await fetch(`http://127.0.0.1:${port}/api/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ database: { kind: 'pglite', status: 'ok' } })
      // Migrated with the account tables, and ready for its first account.
      expect(await (await fetch(`http://127.0.0.1:${port}/api/setup`)).json()).toEqual({ needed: true })

      // A second server on the same folder would corrupt it: it refuses to start, and the first keeps serving.
      second = startServer(dataDir, await freePort())
      expect(await second.exited).toBe(1)
      expect(second.output).toContain(`is open in process ${child.pid}`)
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200)

      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
      const lines = output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
      expect(lines.map((line) => JSON.parse(line).message)).toEqual(
        expect.arrayContaining(['database ready', 'listening', 'shutting down', 'stopped']),
      )
    } finally {
      child.kill('SIGKILL')
      second?.child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

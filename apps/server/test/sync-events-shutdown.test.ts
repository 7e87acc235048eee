import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { freePort } from './faults/support/server-process.ts'
import { setUpFirstAccount } from './faults/support/node-device.ts'
import { readEventStream } from './read-event-stream.ts'

describe('server process with live updates', () => {
  it('rule L9: SIGTERM with an open event stream closes the stream and the server stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pglite-live-'))
    const port = await freePort()
    // node --import tsx, not npx: the signal must reach the server process itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: join(import.meta.dirname, '../../..'),
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      await expect
        .poll(() => output.includes('"message":"listening"'), { timeout: 240_000, interval: 200 })
        .toBe(true)
      const baseURL = `http://127.0.0.1:${port}`
      const session = await setUpFirstAccount(baseURL, {
        email: 'live@example.test',
        password: 'a long password',
      })
      const stream = await readEventStream((signal) =>
        fetch(`${baseURL}/api/sync/events?deviceId=${randomUUID()}`, {
          signal,
          headers: { cookie: session.cookie },
        }),
      )
      await stream.waitFor(() => stream.named('ready').length === 1)

      child.kill('SIGTERM')
      await stream.ended
      // Exit 0, not the forced exit 1 of a shutdown that waited on the stream until its timeout.
      expect(await exited).toBe(0)
      expect(output).toContain('"message":"stopped"')
    } finally {
      child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
    // A guard against a hang, not a speed check: starting a server process takes minutes on a loaded 2-core machine.
  }, 300_000)
})

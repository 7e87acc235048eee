import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '@offline-sync/test-support/server-process'

type Line = Record<string, unknown> & { message: string; level: string }

/** Starts support/crash-app.ts, calls `path` once, and collects its log until it exits. */
async function crashOnce(path: string) {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'apps/server/test/support/crash-app.ts'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const lines: Line[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the crash app exited before listening')))
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Line
      lines.push(line)
      if (line.message === 'listening') resolve(Number(line.port))
    })
  })
  const response = await fetch(`http://127.0.0.1:${port}${path}`)
  const requestId = response.headers.get('x-request-id')
  const code = await exited
  return { code, requestId, lines }
}

describe('process guard: an error nobody handled ends the process cleanly, for the supervisor to restart', () => {
  for (const [path, kind] of [
    ['/reject', 'unhandled promise rejection'],
    ['/throw', 'uncaught exception'],
  ] as const) {
    it(`rule A8: an ${kind} is logged with its request id, the server stops, and the exit code is 1`, async () => {
      const { code, requestId, lines } = await crashOnce(path)
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
      const fatal = lines.find((l) => l.level === 'error' && l.message.startsWith(`fatal: ${kind}`))
      expect(fatal).toMatchObject({ requestId })
      expect(String(fatal?.error)).toContain(path === '/reject' ? 'nobody handles' : 'thrown in a timer')
      // The graceful stop ran before the exit.
      expect(lines.findIndex((l) => l.message === 'stopped')).toBeGreaterThan(lines.indexOf(fatal!))
      expect(code).toBe(1)
    }, 60_000)
  }
})

/**
 * The new-phone benchmark serves the BUILT app (apps/web/dist), as a phone gets it. A build older than the sources
 * would measure yesterday's app, so it is rebuilt when any source it is made from is newer.
 */
import { spawn } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** What the app's bundle is built from, relative to the repository root. */
export const APP_SOURCES = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/public',
  'packages/sync-client/src',
  'packages/sync-protocol/src',
]

/** Newest modification time (ms) of a file or of any file under a folder; 0 when it does not exist. */
export async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)))
  return newest
}

/** True when there is no build, or a source is newer than the build's index.html. */
export async function buildIsStale(root: string, sources: readonly string[] = APP_SOURCES): Promise<boolean> {
  const built = await newestMtime(join(root, 'apps/web/dist/index.html'))
  if (built === 0) return true
  for (const source of sources) if ((await newestMtime(join(root, source))) > built) return true
  return false
}

/** `npm run build -w apps/web` when the build is stale; rejects with its output if it fails. */
export async function ensureAppBuilt(root: string, log: (line: string) => void): Promise<void> {
  if (!(await buildIsStale(root))) return
  log('new phone: building the web app (apps/web/dist is older than its sources)')
  const child = spawn('npm', ['run', 'build', '-w', 'apps/web'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`npm run build -w apps/web exited ${code}:\n${output.slice(-4000)}`)
}

import { open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** The lock file inside a PGlite folder: the id of the process that has the folder open. */
export const LOCK_FILE = 'offline-sync.lock'

/** Another live process has this PGlite folder open. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is open in process ${pid} (a running server?). PGlite allows one ` +
        `process per folder and two would corrupt it: stop that process first. If no such process runs, delete ` +
        `${join(dataDir, LOCK_FILE)}.`,
    )
    this.name = 'DatabaseInUseError'
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0 only checks that the process exists
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' // exists, but belongs to another user
  }
}

/**
 * Takes the folder for this process, or throws DatabaseInUseError when a live process holds it. PGlite has no
 * locking of its own, and two processes on one folder (the server, and `npm run user:create` beside it) corrupt
 * it. A lock left by a process that died (a crash, SIGKILL) is taken over. Resolves to the release function.
 */
export async function lockFolder(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE)
  const mine = `${process.pid}\n`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx') // exclusive create: of two racing processes, one wins
      try {
        await handle.writeFile(mine)
      } finally {
        await handle.close()
      }
      return async () => {
        // Only our own lock: never remove one another process took over after ours was (wrongly) judged stale.
        if ((await readFile(file, 'utf8').catch(() => '')) === mine) await rm(file, { force: true })
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder))
        throw new DatabaseInUseError(dataDir, holder)
      // Stale (its process is gone) or half-written by a process that died while creating it.
      await rm(file, { force: true })
    }
  }
  throw new Error(`could not lock ${file}: other processes keep taking it`)
}

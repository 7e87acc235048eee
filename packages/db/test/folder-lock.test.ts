import { afterEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseInUseError, LOCK_FILE, lockFolder, openDatabase } from '../src/index.ts'

const folders: string[] = []
const newFolder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'folder-lock-'))
  folders.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The id of a process that has exited: what a crashed server leaves in its lock. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!

describe('one process per PGlite folder', () => {
  it('refuses a second holder while the first lives, naming its process, and frees the folder on release', async () => {
    const dir = newFolder()
    const release = await lockFolder(dir)
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`)
    const second = lockFolder(dir)
    await expect(second).rejects.toBeInstanceOf(DatabaseInUseError)
    await expect(second).rejects.toThrow(`is open in process ${process.pid}`)
    await release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
    await (
      await lockFolder(dir)
    )()
  })

  it('takes over a lock whose process died, or that was left half-written', async () => {
    for (const content of [`${deadPid()}\n`, '', 'not a pid']) {
      const dir = newFolder()
      writeFileSync(join(dir, LOCK_FILE), content)
      const release = await lockFolder(dir)
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`)
      await release()
    }
  })

  it('never removes a lock that is no longer its own', async () => {
    const dir = newFolder()
    const release = await lockFolder(dir)
    writeFileSync(join(dir, LOCK_FILE), '1\n') // another process took the folder over
    await release()
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('1\n')
  })

  it('openDatabase holds the lock until close(), so a second open fails and leaves the data alone', async () => {
    const dir = newFolder()
    const first = await openDatabase({ dataDir: dir })
    await first.sql.query('CREATE TABLE kept (v int)')
    await first.sql.query('INSERT INTO kept VALUES (42)')
    await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseInUseError)
    expect(await first.sql.query('SELECT v FROM kept')).toEqual([{ v: 42 }])
    await first.close()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
    const again = await openDatabase({ dataDir: dir })
    try {
      expect(await again.sql.query('SELECT v FROM kept')).toEqual([{ v: 42 }])
    } finally {
      await again.close()
    }
  })
})

import { describe, expect, it } from 'vitest'
import { createSyncTriggers, type TriggerEnvironment } from './sync-triggers.ts'

function fakeWindow(online: boolean) {
  const listeners = new Set<() => void>()
  const env: TriggerEnvironment = {
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
    isOnline: () => online,
  }
  return { env, goOnline: () => listeners.forEach((listener) => listener()), listeners }
}

/** A window whose idle tasks run only when the test says the page is idle. */
function idleWindow(online: boolean) {
  const win = fakeWindow(online)
  const tasks = new Set<() => void>()
  win.env.whenIdle = (task) => {
    tasks.add(task)
    return () => tasks.delete(task)
  }
  const becomeIdle = () => {
    const due = [...tasks]
    tasks.clear()
    due.forEach((task) => task())
  }
  return { ...win, tasks, becomeIdle }
}

describe('sync triggers', () => {
  it('syncs on startup when online, and again on every online event', () => {
    const win = fakeWindow(true)
    const fired: string[] = []
    const stop = createSyncTriggers(() => win.env).watch((trigger) => fired.push(trigger))
    win.goOnline()
    win.goOnline()
    expect(fired).toEqual(['startup', 'online', 'online'])
    stop()
    win.goOnline()
    expect(fired).toHaveLength(3)
    expect(win.listeners.size).toBe(0)
  })

  it('does not sync on startup while offline; coming online does', () => {
    const win = fakeWindow(false)
    const fired: string[] = []
    createSyncTriggers(() => win.env).watch((trigger) => fired.push(trigger))
    expect(fired).toEqual([])
    win.goOnline()
    expect(fired).toEqual(['online'])
  })

  it('runs the startup sync once per page load even when watched twice (StrictMode remount)', () => {
    const win = fakeWindow(true)
    const fired: string[] = []
    const triggers = createSyncTriggers(() => win.env)
    triggers.watch((trigger) => fired.push(trigger))()
    triggers.watch((trigger) => fired.push(trigger))
    expect(fired).toEqual(['startup'])
  })

  it('waits for an idle moment before the startup sync; online events do not wait', () => {
    const win = idleWindow(true)
    const fired: string[] = []
    createSyncTriggers(() => win.env).watch((trigger) => fired.push(trigger))
    expect(fired).toEqual([])
    win.goOnline()
    expect(fired).toEqual(['online'])
    win.becomeIdle()
    expect(fired).toEqual(['online', 'startup'])
    win.becomeIdle()
    expect(fired).toEqual(['online', 'startup'])
  })

  it('hands a startup sync that has not run yet to the next watcher (StrictMode remount), and runs it once', () => {
    const win = idleWindow(true)
    const first: string[] = []
    const second: string[] = []
    const triggers = createSyncTriggers(() => win.env)
    triggers.watch((trigger) => first.push(trigger))()
    expect(win.tasks.size).toBe(0)
    triggers.watch((trigger) => second.push(trigger))
    win.becomeIdle()
    expect(first).toEqual([])
    expect(second).toEqual(['startup'])
  })

  it('does not repeat a startup sync that already ran when the watcher restarts', () => {
    const win = idleWindow(true)
    const fired: string[] = []
    const triggers = createSyncTriggers(() => win.env)
    const stop = triggers.watch((trigger) => fired.push(trigger))
    win.becomeIdle()
    stop()
    triggers.watch((trigger) => fired.push(trigger))
    win.becomeIdle()
    expect(fired).toEqual(['startup'])
  })
})

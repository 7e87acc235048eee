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
})

import { describe, expect, it } from 'vitest'
import { decideStartup, type StartupEnvironment } from './startup.ts'

const ann = { id: 1, email: 'ann@example.com' }

function env(overrides: Partial<StartupEnvironment> & { calls?: string[] } = {}): StartupEnvironment {
  const calls = overrides.calls ?? []
  return {
    storedAccount: () => null,
    isOnline: () => true,
    session: async () => {
      calls.push('session')
      return null
    },
    setupNeeded: async () => {
      calls.push('setup')
      return false
    },
    ...overrides,
  }
}

describe('decideStartup', () => {
  it('opens a stored account at once, without asking the server (offline or not)', async () => {
    const calls: string[] = []
    for (const online of [true, false]) {
      const screen = await decideStartup(env({ calls, storedAccount: () => ann, isOnline: () => online }))
      expect(screen).toEqual({ screen: 'app', account: ann })
    }
    expect(calls).toEqual([])
  })

  it('without a stored account adopts the session the browser already has', async () => {
    const screen = await decideStartup(env({ session: async () => ({ account: ann }) }))
    expect(screen).toEqual({ screen: 'app', account: ann })
  })

  it('without a session shows the setup screen while the server has no account, else sign-in', async () => {
    expect(await decideStartup(env({ setupNeeded: async () => true }))).toEqual({ screen: 'setup' })
    expect(await decideStartup(env({ setupNeeded: async () => false }))).toEqual({ screen: 'sign-in' })
  })

  it('asks whether setup is needed before asking for a session: no 401 before any account exists', async () => {
    const calls: string[] = []
    expect(await decideStartup(env({ calls, setupNeeded: async () => (calls.push('setup'), true) }))).toEqual(
      {
        screen: 'setup',
      },
    )
    expect(calls).toEqual(['setup'])
    const later: string[] = []
    await decideStartup(env({ calls: later }))
    expect(later).toEqual(['setup', 'session'])
  })

  it('offline without a stored account shows sign-in saying it needs a connection, asking nothing', async () => {
    const calls: string[] = []
    expect(await decideStartup(env({ calls, isOnline: () => false }))).toEqual({
      screen: 'sign-in',
      reason: 'offline',
    })
    expect(calls).toEqual([])
  })

  it('an unreachable server leads to the sign-in screen with the reason', async () => {
    const screen = await decideStartup(
      env({
        session: async () => {
          throw new TypeError('Failed to fetch')
        },
      }),
    )
    expect(screen).toEqual({ screen: 'sign-in', reason: 'unreachable' })
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { yieldToMain } from './yield-to-main.ts'

describe('yieldToMain', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('resumes in a later task: after the microtasks and the timers already queued, work still in order', async () => {
    vi.stubGlobal('scheduler', undefined)
    const order: string[] = []
    setTimeout(() => order.push('timer queued before'), 0)
    void Promise.resolve().then(() => order.push('microtask'))
    order.push('before')
    await yieldToMain()
    order.push('after')
    expect(order).toEqual(['before', 'microtask', 'timer queued before', 'after'])
  })

  it("uses the browser's scheduler.yield() where there is one", async () => {
    const yieldFn = vi.fn(() => Promise.resolve())
    vi.stubGlobal('scheduler', { yield: yieldFn })
    await yieldToMain()
    expect(yieldFn).toHaveBeenCalledOnce()
  })
})

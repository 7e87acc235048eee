import { describe, expect, it } from 'vitest'
import { createHashGate } from '../src/accounts/hash-gate.ts'
import { HttpError } from '../src/http/http-error.ts'

/** A piece of work the test finishes by hand. */
function pending() {
  let finish = () => {}
  const done = new Promise<void>((resolve) => (finish = resolve))
  return { done, finish }
}

describe('hash gate', () => {
  it('rule A8: runs `concurrent` at once, queues `queue` more in order, and refuses the next with 503 + Retry-After', async () => {
    const gate = createHashGate({ concurrent: 2, queue: 1 })
    const started: number[] = []
    const works = [pending(), pending(), pending()]
    const runs = works.map((work, i) =>
      gate.run(async () => {
        started.push(i)
        await work.done
        return i
      }),
    )
    await Promise.resolve()
    expect(started).toEqual([0, 1])
    expect(gate.full()).toBe(true)
    const refused = await gate.run(async () => 99).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(HttpError)
    expect(refused).toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '1' } })

    works[1]!.finish()
    expect(await runs[1]).toBe(1)
    // The freed slot went to the waiter, not to a newcomer.
    await new Promise((resolve) => setImmediate(resolve))
    expect(started).toEqual([0, 1, 2])
    expect(gate.full()).toBe(false)
    works[0]!.finish()
    works[2]!.finish()
    expect(await Promise.all(runs)).toEqual([0, 1, 2])
  })

  it('rule A8: a failing hash frees its slot', async () => {
    const gate = createHashGate({ concurrent: 1, queue: 0 })
    await expect(gate.run(async () => Promise.reject(new Error('scrypt failed')))).rejects.toThrow(
      'scrypt failed',
    )
    expect(await gate.run(async () => 'next')).toBe('next')
  })
})

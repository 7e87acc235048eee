import { expect, it } from 'vitest'
import { makeZodJitless } from './configure-zod.ts'

it('zod loaded after configure-zod.ts runs jitless: it reads the object this file writes', async () => {
  const { config } = await import('zod')
  expect(config().jitless).toBe(true)
})

it('the setting goes into the object zod made when zod loaded first, and into a new one otherwise', () => {
  const zodsOwn = { jitless: false }
  const loaded = { __zod_globalConfig: zodsOwn }
  makeZodJitless(loaded)
  expect(loaded.__zod_globalConfig).toBe(zodsOwn)
  expect(zodsOwn.jitless).toBe(true)
  const fresh: { __zod_globalConfig?: { jitless?: boolean } } = {}
  makeZodJitless(fresh)
  expect(fresh.__zod_globalConfig).toEqual({ jitless: true })
})

import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorHandler } from '../src/http/error-handler.ts'
import { HttpError } from '../src/http/http-error.ts'
import { requestLog } from '../src/http/request-log.ts'
import { createLogger } from '../src/logger.ts'
import { asUnavailable } from '@offline-sync/db'

// Issue 12.6: an error line carries the id of its request, the same one the request line and the X-Request-Id
// response header carry, so one failing request can be followed through the log.
describe('error log lines carry the request id', () => {
  const lines: Record<string, unknown>[] = []
  let server: ReturnType<ReturnType<typeof express>['listen']>
  let base = ''

  beforeAll(async () => {
    const logger = createLogger({
      level: 'debug',
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    })
    const app = express()
    app.use(requestLog(logger))
    app.get('/boom', () => {
      throw new Error('kaboom')
    })
    app.get('/refused', (_req, _res, next) => next(new HttpError(400, 'invalid_request', 'bad input')))
    // pg's pool, every connection in use past its timeout: the database is up, the request waited too long.
    app.get('/busy', (_req, _res, next) =>
      next(asUnavailable(new Error('timeout exceeded when trying to connect'))),
    )
    app.get('/down', (_req, _res, next) =>
      next(asUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:5432'))),
    )
    app.use(errorHandler(logger))
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('a request shed because the pool stayed busy says so, and is a warning, not an outage', async () => {
    const busy = await fetch(`${base}/busy`)
    expect(busy.headers.get('retry-after')).not.toBeNull()
    expect((await busy.json()).error).toEqual({
      code: 'unavailable',
      message: 'The server is busy; try again shortly',
    })
    const down = await fetch(`${base}/down`)
    expect((await down.json()).error.message).toBe('The database is unavailable; try again shortly')
    expect(lines.filter((line) => line.path === '/busy' && line.level === 'error')).toEqual([])
  })

  it.each([
    ['/boom', 500, 'error'],
    ['/refused', 400, 'warn'],
    ['/busy', 503, 'warn'],
    ['/down', 503, 'error'],
  ])("%s: the %i line has the response header's request id", async (path, status, level) => {
    const response = await fetch(base + path)
    expect(response.status).toBe(status)
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    const errorLine = lines.findLast((line) => line.level === level && line.path === path)
    expect(errorLine?.requestId).toBe(requestId)
    // The request line (written when the response finishes) has the same id.
    await expect
      .poll(() => lines.findLast((line) => line.message === 'request' && line.path === path)?.requestId)
      .toBe(requestId)
  })
})

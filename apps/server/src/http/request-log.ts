import type { RequestHandler } from 'express'
import { randomUUID } from 'node:crypto'
import type { Logger } from '../logger.ts'
import { requestContext, requestsInFlight } from './request-context.ts'

/** Logs one structured line per request when the response finishes, and runs the request in its context. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint()
    const requestId = randomUUID()
    res.setHeader('X-Request-Id', requestId)
    requestsInFlight.add(requestId)
    // 'close' also fires when the client went away before an answer; 'finish' would leave those in the set.
    res.on('close', () => requestsInFlight.delete(requestId))
    res.on('finish', () => {
      logger.info('request', {
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        bytes: Number(res.getHeader('content-length') ?? 0) || undefined,
      })
    })
    requestContext.run({ requestId }, next)
  }
}

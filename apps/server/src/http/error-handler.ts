import type { ErrorRequestHandler, RequestHandler } from 'express'
import { DatabaseUnavailableError } from '@offline-sync/db'
import { LIMITS } from '@offline-sync/sync-protocol'
import { HttpError } from './http-error.ts'
import type { Logger } from '../logger.ts'

/** Seconds a client should wait before retrying when the database is unavailable. */
const RETRY_AFTER_SECONDS = 5

/** Errors thrown by express.json() (body-parser) carry a `type`; map each to a clear 4xx. */
function fromBodyParser(err: {
  type?: string
  status?: number
  message?: string
  limit?: number
  expose?: boolean
}): HttpError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new HttpError(
        400,
        'invalid_json',
        `The request body is not valid JSON: ${err.message ?? ''}`.trim(),
      )
    case 'entity.too.large': {
      const limit = err.limit ?? LIMITS.maxBodyBytes
      // Only the sync route takes bodies this large; its backlog can be split, a sign-in cannot.
      const advice = limit >= LIMITS.maxBodyBytes ? '; send the changes in several syncs' : ''
      return new HttpError(
        413,
        'payload_too_large',
        `The request body is larger than the ${limit} bytes this route accepts${advice}`,
        { maxBytes: limit },
      )
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'The request body must be UTF-8 JSON')
    default:
      // body-parser's other client errors (e.g. a Content-Encoding the body does not match) carry no known type.
      if (err.expose === true && typeof err.status === 'number' && err.status >= 400 && err.status < 500)
        return new HttpError(
          400,
          'invalid_body',
          `The request body could not be read: ${err.message ?? 'unreadable'}`,
        )
      return null
  }
}

/** What a 500 tells the client: only the sync route's client resends an attempt, so only it hears of syncs. */
const internalMessage = (path: string) =>
  path.startsWith('/api/sync')
    ? 'Something went wrong on the server; the sync can be retried'
    : 'Something went wrong on the server; try again in a moment'

export function toHttpError(err: unknown, path = ''): HttpError {
  if (err instanceof HttpError) return err
  if (err instanceof DatabaseUnavailableError) {
    const message = err.busy
      ? 'The server is busy; try again shortly'
      : 'The database is unavailable; try again shortly'
    return new HttpError(503, 'unavailable', message, undefined, {
      'Retry-After': String(RETRY_AFTER_SECONDS),
    })
  }
  if (typeof err === 'object' && err !== null) {
    const mapped = fromBodyParser(err)
    if (mapped) return mapped
  }
  return new HttpError(500, 'internal', internalMessage(path))
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const httpError = toHttpError(err, req.originalUrl)
    // The id requestLog gave this request (and its response header), so an error line joins its request line.
    const requestId = res.getHeader('X-Request-Id')
    const fields = {
      requestId,
      method: req.method,
      path: req.path,
      status: httpError.status,
      code: httpError.code,
    }
    // A request that only waited too long for its turn (DatabaseUnavailableError.busy) is a queue, not a fault:
    // a warning, so an operator's error alerts mean an outage or a bug.
    if (err instanceof DatabaseUnavailableError && err.busy)
      logger.warn('request shed: database busy', { ...fields, message: err.message })
    else if (httpError.status >= 500)
      logger.error('request failed', { ...fields, error: String((err as Error)?.stack ?? err) })
    else logger.warn('request refused', { ...fields, message: httpError.message })
    if (res.headersSent) return
    res.set(httpError.headers)
    res.status(httpError.status).json({
      error: {
        code: httpError.code,
        message: httpError.message,
        ...(httpError.details === undefined ? {} : { details: httpError.details }),
      },
    })
  }
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}`))
}

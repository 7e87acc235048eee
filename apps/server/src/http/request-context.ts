import { AsyncLocalStorage } from 'node:async_hooks'

export interface RequestContext {
  requestId: string
}

/**
 * The request a piece of code runs for. requestLog() enters it for each request, and everything the request starts
 * (promises, timers, database calls) carries it, so a crash handler can say which request a stray error came from.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>()

/** Ids of the requests in progress in this process; a fatal error logs them, as it ends them all. */
export const requestsInFlight = new Set<string>()

import { requestContext, requestsInFlight } from './http/request-context.ts'
import type { Logger } from './logger.ts'

/**
 * Last line of defence: an error no code handled (a promise rejection nobody awaited, an exception thrown in a
 * callback) leaves the process in an unknown state. It is logged with the request it came from and the requests in
 * flight, then `stop` runs (close the listener, the database) and the process exits with code 1, so the supervisor
 * (docker compose `restart:`, systemd `Restart=`) starts a fresh one. Without these handlers Node 20 would also exit,
 * but silently as to which request caused it.
 */
export function installCrashHandlers(options: {
  logger: Logger
  /** Graceful stop; the process exits with code 1 when it settles (or when `forceAfterMs` have passed). */
  stop: () => Promise<void>
  forceAfterMs?: number
  target?: NodeJS.EventEmitter
  exit?: (code: number) => void
}): void {
  const { logger, stop } = options
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const target = options.target ?? process
  let exiting = false
  const fatal = (kind: string) => (err: unknown) => {
    logger.error(`fatal: ${kind}; exiting so that the supervisor restarts the server`, {
      requestId: requestContext.getStore()?.requestId,
      requestsInFlight: [...requestsInFlight],
      error: String((err as Error | undefined)?.stack ?? err),
    })
    if (exiting) return
    exiting = true
    const forced = setTimeout(() => exit(1), options.forceAfterMs ?? 5_000)
    forced.unref()
    // Through a promise: a stop that throws at once (the server not made yet) must still end in exit(1).
    Promise.resolve()
      .then(stop)
      .then(
        () => exit(1),
        () => exit(1),
      )
  }
  target.on('unhandledRejection', fatal('unhandled promise rejection'))
  target.on('uncaughtException', fatal('uncaught exception'))
}

// A server whose routes leave an error unhandled, run as a child process by process-guard.test.ts: the real crash
// handlers and request log, so the test sees what a supervisor would (exit code, log lines).
import { createServer } from 'node:http'
import express from 'express'
import { requestLog } from '../../src/http/request-log.ts'
import { createLogger } from '../../src/logger.ts'
import { installCrashHandlers } from '../../src/process-guard.ts'

const logger = createLogger()
const app = express()
app.use(requestLog(logger))
app.get('/reject', (_req, res) => {
  res.json({ ok: true })
  // The bug of issue 11 in small: a promise rejected with nobody awaiting it.
  // eslint-disable-next-line @typescript-eslint/no-floating-promises
  Promise.reject(new Error('nobody handles this rejection'))
})
app.get('/throw', (_req, res) => {
  res.json({ ok: true })
  setTimeout(() => {
    throw new Error('thrown in a timer callback')
  }, 10)
})
const server = createServer(app)
installCrashHandlers({
  logger,
  stop: async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    logger.info('stopped')
  },
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  logger.info('listening', { port: typeof address === 'object' && address ? address.port : 0 })
})

import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import {
  createNodeDevice,
  setUpFirstAccount,
  signIn,
  type Exchange,
  type NodeDevice,
  type Session,
} from '@offline-sync/test-support/node-device'
import type { ServerProcess } from '@offline-sync/test-support/server-process'
import { startTwoInstances } from './two-instances.ts'
import { drain, settleRefusals } from './device-workload.ts'
import { createHttpWriter } from './http-writer.ts'
import { quantile } from './figures.ts'
import { checkServerState } from './load-checks.ts'
import { lockFigures, startLockSampler, type LockFigures } from './lock-sampler.ts'

export interface WritersOptions {
  /** Device counts, one timed step each, in this order (the issue asks 1 → 10 → 50). */
  steps: number[]
  /** Length of each step. */
  seconds: number
  sharedCompanies?: number
  /**
   * `engine`: each device is the real client engine on fake IndexedDB (it also applies everyone else's changes,
   * in this one Node process). `http`: each device is only its wire (load/http-writer.ts), so the figures are
   * the servers' and Postgres's.
   */
  client?: 'engine' | 'http'
  log?: (line: string) => void
}

/** One writing device, whichever its kind. */
interface Writer {
  exchanges: Exchange[]
  catchUp(): Promise<unknown>
  loop(until: number): Promise<void>
  /** Sends what is left (engine devices; an HTTP writer has nothing pending). */
  drain?(): Promise<void>
}

export interface WritersStep {
  devices: number
  seconds: number
  /** Syncs that carried a change and were applied (not answered from a receipt). */
  writingSyncs: number
  writingPerSecond: number
  latencyMs: { p50: number; p95: number; max: number }
  /** Syncs that failed (no answer, or an error status). */
  failed: number
  lock: LockFigures
  /** Little's law: mean queue on the lock ÷ writing syncs per second. */
  meanLockWaitMs: number
  /** 1-minute load average at the end of the step: the machine is shared, figures are inflated by it. */
  loadAverage: number
}

export interface WritersResult {
  steps: WritersStep[]
  problems: string[]
  logDir: string
}

/** Does this exchange count as a writing sync: it carried a change and the server applied it then. */
export function isAppliedWrite(exchange: Exchange): boolean {
  if (!exchange.response || exchange.response.replayed) return false
  const request = exchange.request as unknown as Record<string, { added?: []; modified?: []; deleted?: [] }>
  return ['companies', 'contacts'].some((entity) => {
    const set = request[entity]
    return (set?.added?.length ?? 0) + (set?.modified?.length ?? 0) + (set?.deleted?.length ?? 0) > 0
  })
}

/** A step's figures from its exchanges (the timed phase only) and its lock samples. */
export function summariseStep(input: {
  devices: number
  seconds: number
  exchanges: Exchange[]
  lock: LockFigures
  loadAverage: number
}): WritersStep {
  const writes = input.exchanges.filter(isAppliedWrite)
  const latencies = writes.map((e) => e.ms).sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 10) / 10
  const perSecond = input.seconds > 0 ? writes.length / input.seconds : 0
  return {
    devices: input.devices,
    seconds: round(input.seconds),
    writingSyncs: writes.length,
    writingPerSecond: round(perSecond),
    latencyMs: {
      p50: round(quantile(latencies, 0.5)),
      p95: round(quantile(latencies, 0.95)),
      max: round(latencies.at(-1) ?? 0),
    },
    failed: input.exchanges.filter((e) => !e.response).length,
    lock: input.lock,
    meanLockWaitMs: perSecond > 0 ? round((input.lock.meanWaiting / perSecond) * 1000) : 0,
    loadAverage: round(input.loadAverage),
  }
}

/**
 * One person's loop on one device, writing as fast as the server answers: ONE small write (an edit of a shared
 * company or contact — the fields people edit — or an add) then a sync, until `until`. Every value is unique
 * (`w<device>-<seq>`), so the load checks can trace the final state back to the write that made it.
 */
export async function writeInALoop(
  device: NodeDevice,
  index: number,
  until: number,
  random: () => number = Math.random,
): Promise<void> {
  let seq = 0
  const tag = () => `w${index}-${seq++}`
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)]
  while (Date.now() < until) {
    const companies = (await device.db.parents.toArray()).filter((r) => r.isActive && r.id > 0)
    const contacts = (await device.db.children.toArray()).filter((r) => r.isActive && r.id > 0)
    const roll = random()
    const company = pick(companies)
    const contact = pick(contacts)
    if (roll < 0.45 && company)
      await device.writes.update(
        'company',
        company.uid,
        random() < 0.5 ? { phone: `+1 555 ${index} ${seq++}` } : { address: tag() },
      )
    else if (roll < 0.7 && contact) await device.writes.update('contact', contact.uid, { jobTitle: tag() })
    else if (roll < 0.85 || !company) await device.writes.create('company', { name: `Writer ${tag()}` })
    else await device.writes.create('contact', { name: `Person ${tag()}`, companyId: company.id })
    await device.sync()
    await settleRefusals(device)
  }
}

/**
 * Writers at scale (issue 16 point 7): two real server processes on one throwaway Postgres database; for each
 * step, that many devices (alternating between the instances) write in a loop for `seconds` while a sampler
 * watches the queue on the writers' lock. Devices carry over from step to step (each step first brings its devices
 * up to date, untimed). Afterwards the load checks run (last write by arrival, no duplicates; engine devices drain
 * first and must equal the server). Figures are printed by `npm run load -- --scenario writers`, never asserted.
 */
export async function runWritersScenario(options: WritersOptions): Promise<WritersResult> {
  const log = options.log ?? (() => {})
  const logDir = mkdtempSync(join(tmpdir(), 'load-writers-'))
  const database = await createThrowawayDatabase(
    process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  )
  const servers: ServerProcess[] = []
  const devices: NodeDevice[] = []
  try {
    await startTwoInstances(servers, database.url, logDir)
    const credentials = { email: 'writers@example.test', password: `load ${randomBytes(12).toString('hex')}` }
    const owner = await setUpFirstAccount(servers[0]!.baseURL, credentials)
    // One session per instance, shared by that instance's devices: a sign-in costs a production scrypt hash, and
    // sessions have no part in the writers' lock (each device still has its own deviceId and outbox).
    const sessions: Session[] = [owner, await signIn(servers[1]!.baseURL, credentials)]

    const seeder = createNodeDevice({ label: 'seeder', session: owner, baseURL: servers[0]!.baseURL })
    devices.push(seeder)
    for (let i = 0; i < (options.sharedCompanies ?? 20); i++) {
      const company = await seeder.writes.create('company', { name: `Shared ${i}` })
      await seeder.writes.create('contact', { name: `Shared person ${i}`, companyId: company.id })
    }
    await drain(seeder)
    log(
      `servers ${servers.map((s) => s.baseURL).join(' and ')} on ${new URL(database.url).pathname.slice(1)}`,
    )

    const workers: Writer[] = []
    const steps: WritersStep[] = []
    for (const count of options.steps) {
      while (workers.length < count) {
        const i = workers.length
        const where = { session: sessions[i % 2]!, baseURL: servers[i % 2]!.baseURL }
        if (options.client === 'http') {
          const writer = createHttpWriter({ label: `writer-${i}`, ...where })
          let seq = 0
          workers.push({
            exchanges: writer.exchanges,
            catchUp: () => writer.catchUp(),
            async loop(until) {
              while (Date.now() < until) await writer.writeOnce(`w${i}-${seq++}`, Math.random)
            },
          })
        } else {
          const device = createNodeDevice({ label: `writer-${i}`, ...where })
          devices.push(device)
          workers.push({
            exchanges: device.exchanges,
            catchUp: () => device.sync(),
            loop: (until) => writeInALoop(device, i, until),
            drain: () => drain(device),
          })
        }
      }
      const active = workers.slice(0, count)
      await Promise.all(active.map((worker) => worker.catchUp()))
      const before = active.map((d) => d.exchanges.length)
      const sampler = await startLockSampler(database.url)
      const started = Date.now()
      const writing = Promise.all(active.map((worker) => worker.loop(started + options.seconds * 1000)))
      await writing.finally(() => sampler.stop())
      const elapsed = (Date.now() - started) / 1000
      const samples = await sampler.stop()
      const step = summariseStep({
        devices: count,
        seconds: elapsed,
        exchanges: active.flatMap((d, i) => d.exchanges.slice(before[i])),
        lock: lockFigures(samples),
        loadAverage: loadavg()[0] ?? 0,
      })
      steps.push(step)
      log(`${count} devices: ${step.writingSyncs} writing syncs in ${step.seconds} s`)
    }

    const problems: string[] = []
    for (const worker of workers) await worker.drain?.().catch((err: unknown) => problems.push(String(err)))
    await Promise.all(devices.map((device) => device.sync()))
    const state = await checkServerState(database.url, [
      ...seeder.exchanges,
      ...workers.flatMap((w) => w.exchanges),
    ])
    problems.push(...state.problems)
    const server = await readServerRows(database.url)
    for (const device of devices) problems.push(...(await differences(device, server)))
    return { steps, problems, logDir }
  } finally {
    await Promise.all(devices.map((device) => device.close()))
    await Promise.all(servers.map((server) => server.stop()))
    await database.drop()
  }
}

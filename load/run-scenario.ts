import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SyncFailure } from '@offline-sync/sync-client'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import {
  createNodeDevice,
  setUpFirstAccount,
  signIn,
  type NodeDevice,
} from '@offline-sync/test-support/node-device'
import type { ServerProcess } from '@offline-sync/test-support/server-process'
import { startTwoInstances } from './two-instances.ts'
import { drain, runWorkload } from './device-workload.ts'
import { checkServerState } from './load-checks.ts'
import { summarise, type Figures } from './figures.ts'

export interface LoadOptions {
  devices: number
  seconds: number
  /** Companies every device sees from the start; most edits land on them. */
  sharedCompanies?: number
  log?: (line: string) => void
}

export interface LoadResult {
  figures: Figures
  /** Everything that broke a correctness rule; [] when the run was correct. */
  problems: string[]
  uncertain: number
  logDir: string
}

const SHARED_CONTACTS_EACH = 2

/**
 * The load scenario: one throwaway Postgres database, TWO real server processes on it, `devices` simulated
 * devices (each its own session and fake IndexedDB, the web app's HTTP transport, alternating between the
 * instances) writing overlapping changes for `seconds`, then every device drains its changes and syncs once more.
 * Resolves the figures and the problems the checks found; throws only when the scenario cannot run.
 */
export async function runLoadScenario(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => {})
  const logDir = mkdtempSync(join(tmpdir(), 'load-'))
  const database = await createThrowawayDatabase(
    process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  )
  const servers: ServerProcess[] = []
  const devices: NodeDevice[] = []
  try {
    await startTwoInstances(servers, database.url, logDir)
    const credentials = { email: 'load@example.test', password: `load ${randomBytes(12).toString('hex')}` }
    const owner = await setUpFirstAccount(servers[0]!.baseURL, credentials)
    log(
      `servers ${servers.map((s) => s.baseURL).join(' and ')} on ${new URL(database.url).pathname.slice(1)}`,
    )

    // The shared core, made by a first device.
    const seeder = createNodeDevice({ label: 'seeder', session: owner, baseURL: servers[0]!.baseURL })
    devices.push(seeder)
    for (let i = 0; i < (options.sharedCompanies ?? 20); i++) {
      const company = await seeder.writes.create('company', { name: `Shared ${i}` })
      for (let j = 0; j < SHARED_CONTACTS_EACH; j++)
        await seeder.writes.create('contact', { name: `Shared person ${i}.${j}`, companyId: company.id })
    }
    await drain(seeder)

    // Each device signs in on one instance and syncs with the other: sessions live in Postgres.
    const workers: NodeDevice[] = []
    for (let i = 0; i < options.devices; i++) {
      const session = await signIn(servers[i % 2]!.baseURL, credentials)
      const device = createNodeDevice({
        label: `device-${i}`,
        session,
        baseURL: servers[(i + 1) % 2]!.baseURL,
      })
      workers.push(device)
      devices.push(device)
    }
    await Promise.all(workers.map((device) => device.sync()))
    const warm = devices.map((d) => d.exchanges.length)
    log(`${options.devices} devices signed in and synced; running for ${options.seconds} s`)

    const started = Date.now()
    await Promise.all(workers.map((device, i) => runWorkload(device, i, started + options.seconds * 1000)))
    const elapsed = (Date.now() - started) / 1000
    const measured = devices.flatMap((d, i) => d.exchanges.slice(warm[i]))
    log(`load phase over after ${elapsed.toFixed(1)} s; draining`)

    const problems: string[] = []
    for (const device of workers) await drain(device).catch((err: unknown) => problems.push(String(err)))
    // A last pull once nobody writes any more: now every device must hold exactly the server's data.
    await Promise.all(devices.map((device) => device.sync()))

    const exchanges = devices.flatMap((d) => d.exchanges)
    const state = await checkServerState(database.url, exchanges)
    problems.push(...state.problems)
    const server = await readServerRows(database.url)
    for (const device of devices) problems.push(...(await differences(device, server)))

    const statuses = exchanges.map(statusOf)
    for (const status of statuses) if (status >= 500) problems.push(`a sync was answered ${status}`)
    for (const [i, s] of servers.entries()) {
      const text = readFileSync(join(logDir, `server-${['a', 'b'][i]}.log`), 'utf8')
      const errors = text.split('\n').filter((line) => /"level":"error"|deadlock/i.test(line))
      for (const line of errors.slice(0, 5))
        problems.push(`server ${s.baseURL} logged: ${line.slice(0, 300)}`)
    }
    return {
      figures: summarise({
        devices: options.devices,
        servers: servers.length,
        seconds: elapsed,
        loadExchanges: measured,
        allExchanges: exchanges,
        records: state.records,
      }),
      problems,
      uncertain: state.uncertain,
      logDir,
    }
  } finally {
    await Promise.all(devices.map((device) => device.close()))
    await Promise.all(servers.map((server) => server.stop()))
    await database.drop()
  }
}

/** The HTTP status of an exchange: 200, the failure's status, or 0 when no answer came (network, timeout). */
export function statusOf(exchange: { response?: unknown; error?: unknown }): number {
  if (exchange.response) return 200
  return exchange.error instanceof SyncFailure ? (exchange.error.status ?? 0) : 0
}

// `npm run load [-- --devices 40 --seconds 60]`: the two-instance load test with its figures. Not a timed test:
// the figures are printed, never asserted; the correctness checks decide the exit code.
// `npm run load -- --scenario sign-in-flood [--flood 100 --rounds 3]`: a person's sign-in during a guessing flood.
// `npm run load -- --scenario writers [--steps 1,10,50 --seconds 20 --client http|engine]`: writing syncs per second
// on the writers' lock, from 1 to 50 devices.
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { runLoadScenario } from './run-scenario.ts'

// `npm run load -- live`: the live-updates benchmark instead (load/run-live.ts).
if (process.argv[2] === 'live') {
  await import('./run-live.ts')
  process.exit(0)
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number ≥ 1, got "${raw}"`)
  return value
}

const { values } = parseArgs({
  options: {
    devices: { type: 'string' },
    seconds: { type: 'string' },
    shared: { type: 'string' },
    scenario: { type: 'string' },
    flood: { type: 'string' },
    rounds: { type: 'string' },
    steps: { type: 'string' },
    client: { type: 'string' },
  },
})
if (values.scenario !== undefined && !['sync', 'sign-in-flood', 'writers'].includes(values.scenario))
  throw new Error(`--scenario must be sync (the default), sign-in-flood or writers, got "${values.scenario}"`)
if (values.scenario === 'writers') {
  const { printWriters } = await import('./print-writers.ts')
  const steps = (values.steps ?? '1,10,50').split(',').map((raw) => positive('steps', raw.trim(), 1))
  const client = values.client ?? 'http'
  if (client !== 'http' && client !== 'engine')
    throw new Error(`--client must be http (the default) or engine, got "${client}"`)
  process.exit(await printWriters({ steps, seconds: positive('seconds', values.seconds, 20), client }))
}
if (values.scenario === 'sign-in-flood') {
  const { runSignInFlood } = await import('./sign-in-flood.ts')
  const flood = positive('flood', values.flood, 100)
  const target = 2000
  const result = await runSignInFlood({
    flood,
    rounds: positive('rounds', values.rounds, 3),
    log: (line) => console.log(`· ${line}`),
  })
  const within = (ms: number) => (ms <= target ? '(within target)' : '(OVER TARGET)')
  const person = ({ ms, tries }: { ms: number; tries: number }) =>
    `${String(ms).padStart(6)} ms in ${tries} ${tries === 1 ? 'try ' : 'tries'} ${within(ms)}`
  console.log(`
Sign-in during a flood of ${flood} wrong passwords, each from its own address (target: the person in ≤ ${target} ms)
load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')} at the end (other processes on the machine inflate every figure)
                    returning (device token)           first-time (no token)
  no flood          ${person(result.baseline.returning)}   ${person(result.baseline.firstTime)}`)
  for (const [i, r] of result.rounds.entries())
    console.log(
      `  round ${i + 1}           ${person(r.returning)}   ${person(r.firstTime)} · flood answered in ${r.floodMs} ms: ${Object.entries(
        r.flood,
      )
        .map(([status, n]) => `${status}: ${n}`)
        .join(' · ')}`,
    )
  console.log(`  server log        ${result.logDir}`)
  process.exit(0)
}
const devices = positive('devices', values.devices, 40)
const seconds = positive('seconds', values.seconds, 60)
const sharedCompanies = positive('shared', values.shared, 20)

const result = await runLoadScenario({
  devices,
  seconds,
  sharedCompanies,
  log: (line) => console.log(`· ${line}`),
})
const f = result.figures
console.log(`
Load: ${f.devices} devices, ${f.servers} server instances on one Postgres, ${f.seconds} s
  syncs             ${f.syncs} (${f.syncsPerSecond}/s)
  latency           p50 ${f.latencyMs.p50} ms · p90 ${f.latencyMs.p90} ms · p99 ${f.latencyMs.p99} ms · max ${f.latencyMs.max} ms
  answers           ${Object.entries(f.byStatus)
    .map(([status, n]) => `${status === '0' ? 'no answer' : status}: ${n}`)
    .join(' · ')}
  replayed/rejected ${f.replayed} replayed · ${f.rejected} changes rejected (edits of records deleted meanwhile)
  records           ${f.records.companies} companies · ${f.records.contacts} contacts · ${f.records.tombstones} tombstones
  checks            ${result.problems.length === 0 ? 'all passed' : `${result.problems.length} PROBLEMS`}${result.uncertain ? ` (${result.uncertain} records checked loosely: replayed writes)` : ''}
  server logs       ${result.logDir}`)
for (const problem of result.problems.slice(0, 50)) console.log(`  ✗ ${problem}`)
process.exit(result.problems.length === 0 ? 0 : 1)

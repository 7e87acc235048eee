import { loadavg } from 'node:os'
import { runWritersScenario } from './writers-scenario.ts'

/**
 * Runs the writers scenario and prints its figures, one line per step. Resolves the exit code: 1 when a
 * correctness check failed, never for a figure (figures are not a gate).
 */
export async function printWriters(options: {
  steps: number[]
  seconds: number
  client: 'engine' | 'http'
}): Promise<number> {
  const atStart = loadavg()[0] ?? 0
  const result = await runWritersScenario({ ...options, log: (line) => console.log(`· ${line}`) })
  console.log(`
Writers: devices writing in a loop (one edit or add per sync), 2 server instances on one Postgres, ${options.seconds} s a step
devices: ${options.client === 'http' ? 'wire only (load/http-writer.ts)' : 'the client engine on fake IndexedDB, all in this process'}
load average ${atStart.toFixed(1)} at the start
  devices  writing syncs/s   p50 ms   p95 ms   max ms  failed  lock: mean queue  max queue  contended  longest wait  ≈ wait/sync  load avg`)
  for (const s of result.steps)
    console.log(
      `  ${String(s.devices).padStart(7)}  ${String(s.writingPerSecond).padStart(15)}  ${String(s.latencyMs.p50).padStart(7)}  ${String(s.latencyMs.p95).padStart(7)}  ${String(s.latencyMs.max).padStart(7)}  ${String(s.failed).padStart(6)}  ${s.lock.meanWaiting.toFixed(2).padStart(16)}  ${String(s.lock.maxWaiting).padStart(9)}  ${`${Math.round(s.lock.busyShare * 100)} %`.padStart(9)}  ${`${Math.round(s.lock.longestMs)} ms`.padStart(12)}  ${`${s.meanLockWaitMs} ms`.padStart(11)}  ${s.loadAverage.toFixed(1).padStart(8)}`,
    )
  console.log(`  checks   ${result.problems.length === 0 ? 'all passed' : `${result.problems.length} PROBLEMS`}
  server logs ${result.logDir}`)
  for (const problem of result.problems.slice(0, 50)) console.log(`  ✗ ${problem}`)
  return result.problems.length === 0 ? 0 : 1
}

/**
 * `AUDIT_TRACE=1 npx tsx e2e/audits/run-audits.ts` (or `npx tsx e2e/audits/trace-start.ts`): where the main
 * thread's long tasks on a cold load come from, beyond the script URLs Lighthouse names. Same server, seeded data
 * and persistent profile as the audits (run-audits.ts); each load clears the service worker and Cache Storage as
 * Lighthouse does, throttles the CPU 4× and records a Chromium trace with JS samples. Prints every long task with
 * the trace events and the functions (inclusive time, from the samples) that ran in it, then the functions summed
 * over the loads. Needs `npm run build -w apps/web` (`npx vite build --minify false` for readable names).
 * `TRACE_LOADS` (3), `TRACE_PATH` (`/`), `TRACE_MS` (6000: how long after navigation to record), `TRACE_LONG_MS`
 * (40), `TRACE_TOP` (functions per task, 10), `TRACE_OUT` (a file to save the last trace in).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type CDPSession } from 'playwright-core'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { chromiumLaunchOptions, phone } from '../support/chromium.ts'
import { repoRoot } from '../support/paths.ts'
import { freePort, startServer } from '../support/server-process.ts'
import { accountMode, seedServer, signIn } from './audit-session.ts'

const LOADS = Number(process.env.TRACE_LOADS ?? 3)
const PATH = process.env.TRACE_PATH ?? '/'
const RECORD_MS = Number(process.env.TRACE_MS ?? 6000)
/** Tasks at least this long (ms, throttled) are listed with what ran in them. */
const LONG_MS = Number(process.env.TRACE_LONG_MS ?? 40)

interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  id?: string
  args?: { name?: string; data?: Record<string, unknown> } & Record<string, unknown>
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'loading',
  'disabled-by-default-v8.cpu_profiler',
  '__metadata',
]

async function record(cdp: CDPSession, navigate: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])))
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' },
  })
  await navigate()
  await new Promise((resolve) => setTimeout(resolve, RECORD_MS))
  await cdp.send('Tracing.end')
  await done
  return events
}

interface Frame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}

/** JS samples of the trace's CPU profile: a time and the stack (leaf first) at that time. */
function samplesOf(events: TraceEvent[], pid: number): { ts: number; stack: Frame[] }[] {
  const nodes = new Map<number, { frame: Frame; parent?: number }>()
  const out: { ts: number; stack: Frame[] }[] = []
  const starts = new Map<string, number>()
  for (const e of events) {
    if (e.pid !== pid) continue
    if (e.name === 'Profile') starts.set(e.id ?? '', (e.args?.data?.startTime as number) ?? e.ts)
  }
  const time = new Map<string, number>()
  for (const e of events) {
    if (e.pid !== pid || e.name !== 'ProfileChunk') continue
    const data = e.args?.data as {
      cpuProfile?: { nodes?: { id: number; callFrame: Frame; parent?: number }[]; samples?: number[] }
      timeDeltas?: number[]
    }
    for (const node of data.cpuProfile?.nodes ?? [])
      nodes.set(node.id, { frame: node.callFrame, parent: node.parent })
    const id = e.id ?? ''
    let t = time.get(id) ?? starts.get(id) ?? e.ts
    const samples = data.cpuProfile?.samples ?? []
    const deltas = data.timeDeltas ?? []
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0
      const stack: Frame[] = []
      for (let n: number | undefined = samples[i]; n !== undefined; n = nodes.get(n)?.parent) {
        const node = nodes.get(n)
        if (!node) break
        stack.push(node.frame)
      }
      out.push({ ts: t, stack })
    }
    time.set(id, t)
  }
  return out
}

const short = (url: string | undefined) => (url ?? '').replace(/^https?:\/\/[^/]+/, '') || '(page)'
const frameName = (f: Frame) => `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`

function analyse(events: TraceEvent[], load: number) {
  // The page's renderer main thread: the CrRendererMain thread with the most task time.
  const names = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  const busiest = names
    .map((n) => ({
      pid: n.pid,
      tid: n.tid,
      time: events
        .filter((e) => e.pid === n.pid && e.tid === n.tid && e.name === 'RunTask')
        .reduce((sum, e) => sum + (e.dur ?? 0), 0),
    }))
    .sort((a, b) => b.time - a.time)[0]
  if (!busiest) {
    console.log(`load ${load}: no renderer main thread in the trace`)
    return
  }
  const { pid, tid } = busiest
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X')
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === pid)
  const t0 = nav?.ts ?? Math.min(...events.filter((e) => e.pid === pid && e.ts > 0).map((e) => e.ts))
  // The task that starts the CPU profiler on navigation is the recording's own cost (hundreds of ms), not the page's.
  const profilerStarts = main.filter((e) => e.name === 'CpuProfiler::StartProfiling')
  const tasks = main.filter(
    (e) =>
      e.name === 'RunTask' &&
      !profilerStarts.some((p) => p.ts >= e.ts && p.ts + (p.dur ?? 0) <= e.ts + (e.dur ?? 0)),
  )
  const long = tasks.filter((e) => (e.dur ?? 0) >= LONG_MS * 1000).sort((a, b) => a.ts - b.ts)
  const samples = samplesOf(events, pid)
  const total = tasks.reduce((sum, e) => sum + (e.dur ?? 0), 0)
  const blocking = tasks.reduce((sum, e) => sum + Math.max(0, (e.dur ?? 0) / 1000 - 50), 0)
  console.log(
    `\n=== load ${load}: ${tasks.length} tasks, ${(total / 1000).toFixed(0)} ms of task time, ` +
      `${long.length} tasks ≥ ${LONG_MS} ms, blocking (real time, 4× throttled) ${blocking.toFixed(0)} ms; ${samples.length} samples`,
  )
  for (const task of long) {
    const end = task.ts + (task.dur ?? 0)
    const wrappers = new Set([
      'RunTask',
      'ThreadControllerImpl::RunTask',
      'Receive mojo message',
      'SimpleWatcher::OnHandleReady',
      'Receive mojo reply',
    ])
    const inside = main.filter((e) => !wrappers.has(e.name) && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end)
    // The task's direct work: the outermost events inside it.
    const top = inside.filter(
      (e) =>
        !inside.some(
          (o) =>
            o !== e &&
            o.ts <= e.ts &&
            o.ts + (o.dur ?? 0) >= e.ts + (e.dur ?? 0) &&
            (o.dur ?? 0) > (e.dur ?? 0),
        ),
    )
    const what = top
      .filter((e) => (e.dur ?? 0) >= 1000)
      .map((e) => {
        const d = e.args?.data ?? {}
        const label = [d.url, d.functionName, d.type, d.name].filter(Boolean).map(String).map(short).join(' ')
        return `${e.name}${label ? `(${label})` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}ms`
      })
      .slice(0, 8)
    console.log(
      `task at ${((task.ts - t0) / 1000).toFixed(0)} ms: ${((task.dur ?? 0) / 1000).toFixed(1)} ms — ${what.join('; ')}`,
    )
    // Inclusive time by function within the task (each function once per sample): the call chain to the hotspot.
    const within = samples.filter((s) => s.ts >= task.ts && s.ts <= end)
    const n = within.length || 1
    const ms = (count: number) => (((task.dur ?? 0) / 1000) * count) / n
    const inclusive = new Map<string, number>()
    for (const s of within) {
      for (const key of new Set(s.stack.filter((f) => f.url).map(frameName)))
        inclusive.set(key, (inclusive.get(key) ?? 0) + 1)
    }
    const self = new Map<string, number>()
    for (const s of within) {
      const leaf = s.stack[0]
      const key = leaf ? frameName(leaf) : '(none)'
      self.set(key, (self.get(key) ?? 0) + 1)
    }
    const selfTop = [...self].sort((a, b) => b[1] - a[1]).slice(0, 4)
    console.log(`    self: ${selfTop.map(([key, count]) => `${key} ${ms(count).toFixed(1)}`).join('; ')}`)
    for (const [key, count] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`    ${ms(count).toFixed(1).padStart(6)} ms  ${key}`)
      if ((task.dur ?? 0) >= 50_000) overall.set(key, (overall.get(key) ?? 0) + ms(count))
    }
  }
}

/** Inclusive milliseconds per function over every load's tasks of 50 ms or more. */
const overall = new Map<string, number>()
/** Functions listed per long task. */
const TOP = Number(process.env.TRACE_TOP ?? 10)

async function main() {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = await createThrowawayDatabase(adminUrl)
  const profile = mkdtempSync(join(tmpdir(), 'trace-profile-'))
  const server = await startServer({
    databaseUrl: database.url,
    logFile: join(repoRoot, 'artifacts/audits/trace-server.log'),
  })
  const port = await freePort()
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    args: [...(chromiumLaunchOptions.args ?? []), `--remote-debugging-port=${port}`],
    ...phone,
    baseURL: server.baseURL,
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto('/api/health')
    const mode = await accountMode(server.baseURL)
    const csrf = await signIn(page, mode)
    await seedServer(page, csrf)
    await page.goto('/')
    await page.getByTestId('company-list').waitFor({ timeout: 60_000 })
    await page.locator('[data-testid="sync-bar"][data-state="idle"]').waitFor({ timeout: 60_000 })
    const cdp = await context.newCDPSession(page)
    for (let load = 1; load <= LOADS; load++) {
      await page.goto('/api/health')
      // Lighthouse's default storage reset: a cold load from the network, IndexedDB and cookies kept.
      await cdp.send('Storage.clearDataForOrigin', {
        origin: server.baseURL,
        storageTypes: 'service_workers,cache_storage',
      })
      await cdp.send('Network.enable')
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      const events = await record(cdp, async () => {
        await page.goto(PATH, { waitUntil: 'commit' })
      })
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
      if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, JSON.stringify({ traceEvents: events }))
      analyse(events, load)
    }
    console.log(`\n=== inclusive ms in tasks ≥ 50 ms, all ${LOADS} loads`)
    for (const [key, value] of [...overall].sort((a, b) => b[1] - a[1]).slice(0, 40))
      console.log(`${value.toFixed(0).padStart(6)} ms  ${key}`)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    await server.stop()
    await database.drop()
  }
}

await main()

import { writeFileSync } from 'node:fs'
import lighthouse from 'lighthouse'

export interface LighthouseMarks {
  performance: number
  accessibility: number
  'best-practices': number
}

/**
 * The marks issue 6 sets, per category (scores 0..100). Accessibility and best practices are gates: the same page
 * gets the same score on any machine. Performance is a target, printed beside the score but never a failure
 * (issue 12 point 7): Lighthouse simulates a slow phone from the CPU time it observes, so the score falls when the
 * machine is busy, and `npm test` must not depend on that.
 */
export const MARKS: LighthouseMarks = { performance: 95, accessibility: 100, 'best-practices': 100 }

/** The categories whose mark fails the audit; the others are machine-speed figures, reported with their target. */
export const GATED_CATEGORIES = [
  'accessibility',
  'best-practices',
] as const satisfies (keyof LighthouseMarks)[]

export interface LighthouseResult {
  name: string
  url: string
  scores: LighthouseMarks
  /** Lighthouse's CPU benchmark of this machine during the run: low values mean a slow or busy machine. */
  benchmarkIndex?: number
  /** Performance scores of every run, in the order they ran; `scores` is the median run. */
  runs?: number[]
  /** Total blocking time (ms) of every run, in the same order: what moves a score most from one run to the next. */
  blockingMs?: number[]
  /** Total blocking time (ms) of this run. */
  totalBlockingMs?: number
  /** Audits that cost points in a category with a mark of 100, or the slowest metrics for performance. */
  findings: string[]
  /** Lighthouse's full report of this run (JSON), for looking into a score. */
  report: string
}

/**
 * Lighthouse 12 with its defaults: mobile form factor, a mid-range phone's screen, simulated slow 4G and CPU
 * slowdown. It opens its own tab in the browser listening on `port`, so it shares that profile's session cookie,
 * local data and stored account; before loading it clears the service worker and Cache Storage (its default),
 * which makes each run a cold load from the network.
 */
export async function runLighthouse(
  name: string,
  url: string,
  port: number,
  reportFile: string,
): Promise<LighthouseResult> {
  // Lighthouse's own advice for a single verdict: the median of several runs (its performance score varies with
  // the machine's load; accessibility and best practices do not). One run first, not judged: the first loads of a
  // page in a new browser profile also pay for the browser's own warm-up (and, in CI, for the end of the previous
  // test step), which is not the page's cost. Each judged run is still a cold load of the page from the network.
  const warmUp = await runWithRetry(name, url, port)
  console.log(`     ${name}: warm-up run ${warmUp.scores.performance} (not judged)`)
  const runs: LighthouseResult[] = []
  for (let i = 0; i < RUNS; i++) {
    const run = await runWithRetry(name, url, port)
    runs.push(run)
    // `AUDIT_KEEP_RUNS=1`: every judged run's report, not only the median's, for comparing a good run with a bad one.
    if (process.env.AUDIT_KEEP_RUNS)
      writeFileSync(reportFile.replace(/\.json$/, `-run${i + 1}.json`), run.report)
  }
  const byScore = [...runs].sort((a, b) => a.scores.performance - b.scores.performance)
  const median = byScore[Math.floor(byScore.length / 2)]!
  // The judged run's whole report: open it in Lighthouse's viewer to see what a score is made of.
  writeFileSync(reportFile, median.report)
  return {
    ...median,
    report: reportFile,
    runs: runs.map((run) => run.scores.performance),
    blockingMs: runs.map((run) => run.totalBlockingMs ?? 0),
  }
}

/** Judged runs per page; `AUDIT_RUNS` lowers it while investigating one page (the median of fewer runs). */
const RUNS = Number(process.env.AUDIT_RUNS ?? 7)

/** Attempts per run: a run that fails to record is not a score, so it is taken again, a bounded number of times. */
const ATTEMPTS = 3

async function runWithRetry(name: string, url: string, port: number): Promise<LighthouseResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(name, url, port)
    } catch (err) {
      // NO_NAVSTART and friends: Chromium's trace now and then misses the navigation on a busy machine (twice in
      // about 100 runs in one day's CI runs); a page that cannot be audited at all still fails after the last try.
      if (attempt >= ATTEMPTS) throw err
      console.log(
        `     Lighthouse run failed (${err instanceof Error ? err.message : String(err)}); trying again`,
      )
    }
  }
}

async function runOnce(name: string, url: string, port: number): Promise<LighthouseResult> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  })
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`)
  const { lhr } = result
  if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.message}`)
  const score = (id: keyof LighthouseMarks) => Math.round((lhr.categories[id]?.score ?? 0) * 100)
  const scores = {
    performance: score('performance'),
    accessibility: score('accessibility'),
    'best-practices': score('best-practices'),
  }
  const findings: string[] = []
  for (const id of ['accessibility', 'best-practices'] as const) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id]
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1)
        findings.push(`${id}: ${audit.id} — ${audit.title}`)
    }
  }
  if (scores.performance < MARKS.performance) {
    for (const id of [
      'first-contentful-paint',
      'largest-contentful-paint',
      'total-blocking-time',
      'cumulative-layout-shift',
      'speed-index',
    ]) {
      const audit = lhr.audits[id]
      if (audit)
        findings.push(
          `performance: ${id} ${audit.displayValue ?? ''} (score ${Math.round((audit.score ?? 0) * 100)})`,
        )
    }
    // What to shorten or hold still: the element that painted last, and the elements that moved.
    for (const node of auditNodes(lhr.audits['largest-contentful-paint-element']))
      findings.push(`performance: LCP element ${node}`)
    for (const node of auditNodes(lhr.audits['layout-shifts'])) findings.push(`performance: shifted ${node}`)
  }
  return {
    name,
    url,
    scores,
    findings,
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    totalBlockingMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
    report: typeof result.report === 'string' ? result.report : JSON.stringify(lhr),
  }
}

interface AuditNode {
  type?: string
  selector?: string
  snippet?: string
}

/** The page elements an audit names (its table rows' `node` cells, nested tables included), as short text. */
function auditNodes(audit: { details?: unknown } | undefined): string[] {
  const found: string[] = []
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(visit)
    const node = value as AuditNode
    if (node.type === 'node') {
      found.push(`${node.selector ?? ''} ${node.snippet ?? ''}`.trim().slice(0, 160))
      return
    }
    Object.values(value).forEach(visit)
  }
  visit(audit?.details)
  return found.slice(0, 5)
}

/**
 * `npm run bench` (issue 5): sets up its own data, measures, prints Markdown tables and writes
 * bench-results.json at the repository root. Server: a throwaway database on the Postgres of DATABASE_URL when
 * set, else in-memory PGlite. Client: headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 *
 *   npm run bench                  full run (1×, 10×, 100× data; about 5–10 minutes on 2 cores)
 *   npm run bench -- --quick       smoke run: 1× data, one repetition (well under a minute)
 *   npm run bench -- --no-browser  server figures only
 *   npm run bench -- --out=FILE    write the results elsewhere
 *   npm run bench -- --only=new-phone      only issue 16's new phone (1×, 10×, 100×; bench/new-phone/)
 *   npm run bench -- --only=storage-cost   only issue 16's cost of storing a download (100×; decision 021)
 *   npm run bench -- --only=search         only issue 15's search on the device (10,000 + 100,000; decision 018)
 *   npm run bench -- --only=new-phone --scales=1,10   those scales only
 *   npm run bench -- --only=storage-cost --reps=1     one repetition (each takes minutes at 100× on a busy machine)
 */
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchApply, applyBreakdown, type ApplyBreakdown, type ApplyContender } from './apply-bench.ts'
import { openBenchDatabase, serverVersion } from './bench-database.ts'
import { runBrowserBench, type ClientCase, type ClientInfo } from './browser/run-browser-bench.ts'
import { Samples } from './measure.ts'
import { computeRatios, type Scales } from './ratios.ts'
import { benchReads, type ReadBodies } from './read-bench.ts'
import { renderReport } from './report.ts'
import { renderSearchReport, runSearchBench, type SearchBenchResult } from './search/run-search-bench.ts'
import { importReport, runImportBench } from './import-bench.ts'
import { runNewPhoneBench } from './new-phone/run-new-phone.ts'
import { newPhoneReport, type NewPhoneFigures } from './new-phone/targets.ts'
import { runStorageCost, storageCostReport, type StorageCostResult } from './new-phone/storage-cost.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Sections that run alone with `--only=`. */
export const SECTIONS = ['new-phone', 'storage-cost', 'search'] as const
export type Section = (typeof SECTIONS)[number]

export interface BenchOptions {
  quick: boolean
  browser: boolean
  out: string
  /** One section alone, or every section (null). */
  only: Section | null
  /** The scales of the new-phone and storage-cost sections; null: their defaults (1×, 10×, 100×; 100×). */
  scales: number[] | null
  /** Repetitions of the storage-cost section; null: 3 (1 with --quick). */
  reps: number | null
  log: (line: string) => void
}

export function parseArgs(argv: readonly string[]): Omit<BenchOptions, 'log'> {
  const known = new Set(['--quick', '--no-browser'])
  let out = join(root, 'bench-results.json')
  let only: Section | null = null
  let scales: number[] | null = null
  let reps: number | null = null
  const usage =
    '(use --quick, --no-browser, --out=FILE, --only=new-phone|storage-cost|search, --scales=1,10,100, --reps=N)'
  for (const arg of argv) {
    if (arg.startsWith('--out=')) out = resolve(arg.slice('--out='.length))
    else if (arg.startsWith('--only=')) {
      const section = arg.slice('--only='.length)
      if (!(SECTIONS as readonly string[]).includes(section))
        throw new Error(`unknown section ${section} for --only ${usage}`)
      only = section as Section
    } else if (arg.startsWith('--scales=')) {
      const list = arg.slice('--scales='.length).split(',')
      scales = list.map(Number)
      if (list.length === 0 || scales.some((x) => !Number.isInteger(x) || x < 1))
        throw new Error(`--scales takes whole numbers ≥ 1, e.g. --scales=1,10 (got ${arg})`)
    } else if (arg.startsWith('--reps=')) {
      reps = Number(arg.slice('--reps='.length))
      if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps takes a whole number ≥ 1 (got ${arg})`)
    } else if (!known.has(arg)) throw new Error(`unknown option ${arg} ${usage}`)
  }
  if (scales && !only)
    throw new Error('--scales applies to one section: add --only=new-phone or --only=storage-cost')
  if (only && argv.includes('--no-browser'))
    throw new Error(`--only=${only} runs in the browser: drop --no-browser`)
  return { quick: argv.includes('--quick'), browser: !argv.includes('--no-browser'), out, only, scales, reps }
}

/** Issue 16's sections: the new phone (by scale) and the storage cost (at one scale). */
async function runIssue16(options: BenchOptions, sections: readonly Section[]) {
  const { quick, log } = options
  let newPhone: NewPhoneFigures[] | null = null
  let storageCost: StorageCostResult | null = null
  const reports: string[] = []
  if (sections.includes('new-phone')) {
    newPhone = await runNewPhoneBench({
      scales: options.scales ?? (quick ? [1] : [1, 10, 100]),
      // A quick run keeps the upload small; the target row then says "not comparable".
      ...(quick ? { upload: { companies: 100, contacts: 1_000 } } : {}),
      log,
    })
    reports.push(
      newPhoneReport(newPhone, `Load average (1 min) by scale in the first row; ${machineLine()}.`),
    )
  }
  if (sections.includes('storage-cost')) {
    storageCost = await runStorageCost(
      options.scales?.[0] ?? (quick ? 1 : 100),
      options.reps ?? (quick ? 1 : 3),
      log,
    )
    reports.push(storageCostReport(storageCost))
  }
  return { newPhone, storageCost, report: reports.join('\n\n') }
}

function machineLine(): string {
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown'}, Node ${process.version}`
}

/** Runs the whole benchmark and returns what it wrote to `options.out`. */
export async function runBench(options: BenchOptions) {
  const { quick, log } = options
  if (options.only === 'search') {
    const loadBefore = round2(loadavg()[0] ?? 0)
    const search = await runSearchBench(
      quick ? { companies: 100, contacts: 1_000 } : { companies: 10_000, contacts: 100_000 },
      log,
    )
    const results = {
      generatedAt: new Date().toISOString(),
      quick,
      only: options.only,
      loadAverage1m: { before: loadBefore, after: round2(loadavg()[0] ?? 0) },
      search,
    }
    await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`)
    return { results, report: renderSearchReport(search) }
  }
  if (options.only) {
    const loadBefore = round2(loadavg()[0] ?? 0)
    const alone = await runIssue16(options, [options.only])
    const results = {
      generatedAt: new Date().toISOString(),
      quick,
      only: options.only,
      loadAverage1m: { before: loadBefore, after: round2(loadavg()[0] ?? 0) },
      newPhone: alone.newPhone,
      storageCost: alone.storageCost,
    }
    await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`)
    return { results, report: alone.report }
  }
  const scales: Scales = quick ? { apply: 1, read: 1, all: [1] } : { apply: 10, read: 100, all: [1, 10, 100] }
  // Fewer repetitions where one takes seconds; the per-record seed at 100× would take minutes per repetition.
  const reps = (scale: number) => (quick ? 1 : scale >= 100 ? 3 : 5)
  const perRecordScales = quick ? [1] : [1, 10]
  const perRecordReps = (scale: number) => Math.min(reps(scale), 3)

  const samples = new Samples()
  const started = performance.now()
  // Other processes on the machine skew the figures; the load average says how busy it was.
  const loadBefore = loadavg()[0] ?? 0
  const db = await openBenchDatabase()
  log(`server database: ${db.where}`)
  const breakdowns: Record<string, { ours: ApplyBreakdown; floor: ApplyBreakdown }> = {}
  const bodies = new Map<number, ReadBodies>()
  let database: Record<string, string>
  try {
    database = { kind: db.kind, where: db.where, version: await serverVersion(db.handle) }
    // Untimed warm-up of every code path (JIT, Prisma's query compiler, plan caches).
    await benchApply(db, 1, 1, ['ours', 'oursDelta', 'floor', 'perRecord'], new Samples(), () => {})

    for (const scale of scales.all) {
      const contenders: ApplyContender[] = ['ours', 'oursDelta', 'floor']
      await benchApply(db, scale, reps(scale), contenders, samples, log)
      if (perRecordScales.includes(scale))
        await benchApply(db, scale, perRecordReps(scale), ['perRecord'], samples, log)
      bodies.set(scale, await benchReads(db, scale, reps(scale), samples, log))
    }
    for (const scale of new Set([scales.apply, scales.all[scales.all.length - 1] as number])) {
      breakdowns[`${scale}x`] = await applyBreakdown(db, scale)
    }
  } finally {
    await db.close()
  }

  let client: ClientInfo | undefined
  if (options.browser) {
    const cases: ClientCase[] = scales.all.map((scale) => {
      const body = bodies.get(scale) as ReadBodies
      return {
        label: `${scale}x`,
        full: body.full,
        deltas: { edits: body.edits, noop: body.noop },
        reps: reps(scale),
      }
    })
    bodies.clear()
    client = await runBrowserBench(cases, samples, log)
  }
  // Issue 15: the device's search at 10,000 companies + 100,000 contacts (decision 018), against its own targets.
  let search: SearchBenchResult | undefined
  if (options.browser) {
    search = await runSearchBench(
      quick ? { companies: 100, contacts: 1_000 } : { companies: 10_000, contacts: 100_000 },
      log,
    )
  }

  // Issue 15: the 10,000-row CSV import, in its own Chromium page (bench/import-bench.ts).
  const importRows = quick ? 1000 : 10_000
  const imports = options.browser ? await runImportBench(quick ? 1 : 3, log, importRows) : null

  // Issue 16: a new phone signs in, and what storing its download costs. Not in a quick run: it is a server
  // process and a browser per scale (bench/new-phone/new-phone.test.ts runs it at 1× on its own);
  // `--quick --only=new-phone` runs it quick.
  const issue16 = options.browser && !quick ? await runIssue16(options, SECTIONS) : null

  const { ratios, targets } = computeRatios(samples, scales, options.browser)
  const cpu = cpus()
  const machine = {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage1m: { before: round2(loadBefore), after: round2(loadavg()[0] ?? 0) },
  }
  const header =
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}: ` +
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
    `load average ${machine.loadAverage1m.before} before / ${machine.loadAverage1m.after} after; ` +
    `server database ${database.where} (${database.version}); ${client ? client.browser : 'no browser'}. ` +
    `Medians of ${quick ? 1 : '5 (3 at 100×; per-record 3)'} repetitions.`
  const tables = renderReport({
    samples,
    scales,
    ratios,
    targets,
    withClient: options.browser,
    perRecordScales,
    breakdowns,
    header,
  })
  const withSearch = search ? `${tables}\n\n${renderSearchReport(search)}` : tables
  const withImports = imports ? `${withSearch}\n\n${importReport(imports, importRows)}` : withSearch
  const report = issue16 ? `${withImports}\n\n${issue16.report}` : withImports
  const results = {
    generatedAt: new Date().toISOString(),
    quick,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    machine,
    database,
    browser: client?.browser ?? null,
    scales,
    ...ratios,
    targets,
    clientCounts: client?.counts ?? null,
    search: search ?? null,
    applyBreakdown: breakdowns,
    importCsv: imports,
    newPhone: issue16?.newPhone ?? null,
    storageCost: issue16?.storageCost ?? null,
    samples: samples.toJSON(),
  }
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`)
  return { results, report }
}

const round2 = (x: number) => Math.round(x * 100) / 100

// Run when executed directly (tsx bench/run-bench.ts), not when imported by a test.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = { ...parseArgs(process.argv.slice(2)), log: (line: string) => console.error(`· ${line}`) }
  const { report } = await runBench(options)
  console.log(`\n${report}`)
  console.log(`\nWrote ${options.out}`)
}

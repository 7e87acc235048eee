/**
 * Issue 16 point 5: storing a whole download (110,000 records at 100×) into IndexedDB, in headless Chromium. The
 * bare floor (stores without indexes, bulk puts in one transaction) against what the client engine does (its whole
 * full sync into an empty database), with the variations decision 021 weighs: durability, transaction size, and
 * parsing the JSON in a worker instead of the page. Printed, never a gate.
 *
 *   npm run bench -- --only=storage-cost [--scales=10]
 */
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { median } from '../measure.ts'
import { SEEDED_CURSOR } from '../seed-base.ts'
import { startStaticServer } from '../browser/static-server.ts'
import { baseData, baseSizes } from '../workload.ts'
import type { Durability, StorageCostApi, StorageTiming } from './storage-cost-page.ts'

const here = dirname(fileURLToPath(import.meta.url))

/** One full answer holding every record of a scale, as the server sends it today (one page, `next: null`). */
export function fullBody(scale: number): string {
  const at = '2026-12-02T00:00:00.000Z'
  const server = {
    createdAt: at,
    updatedAt: at,
    version: SEEDED_CURSOR,
    isFromServer: true,
    isModified: false,
    isActive: true,
  }
  const { companies, contacts } = baseData(scale)
  return JSON.stringify({
    mode: 'full',
    cursor: SEEDED_CURSOR,
    replayed: false,
    companies: companies.map((c) => ({ ...c, ...server })),
    contacts: contacts.map((c) => ({ ...c, ...server })),
    removed: { companies: [], contacts: [] },
    companyIdMap: {},
    contactIdMap: {},
    rejected: [],
    overwrites: [],
    overwritten: [],
    page: { next: null, total: { companies: companies.length, contacts: contacts.length } },
    written: { companies: [], contacts: [] },
  })
}

type Call =
  | { fn: 'floor'; indexes: boolean; chunk: number; durability: Durability; words?: boolean }
  | { fn: 'engine'; durability: Durability }
  | { fn: 'parseInPage' }
  | { fn: 'fetchParseInPage' }
  | { fn: 'inWorker'; then: 'post' | 'store' }

export interface Variant {
  key: string
  label: string
  call: Call
}

/** What is measured, in the order printed; the first is the floor every other is compared with. */
export const VARIANTS: Variant[] = [
  {
    key: 'floor',
    label: 'bare IndexedDB floor: stores without indexes, bulk puts, one transaction',
    call: { fn: 'floor', indexes: false, chunk: Infinity, durability: 'default' },
  },
  {
    key: 'floor.relaxed',
    label: '… with durability relaxed',
    call: { fn: 'floor', indexes: false, chunk: Infinity, durability: 'relaxed' },
  },
  {
    key: 'floor.strict',
    label: '… with durability strict',
    call: { fn: 'floor', indexes: false, chunk: Infinity, durability: 'strict' },
  },
  {
    key: 'schema.all',
    label: "the engine's schema (5 indexes, `_sort`), bare puts, one transaction",
    call: { fn: 'floor', indexes: true, chunk: Infinity, durability: 'default' },
  },
  {
    key: 'schema.10000',
    label: '… in transactions of 10,000',
    call: { fn: 'floor', indexes: true, chunk: 10_000, durability: 'default' },
  },
  {
    key: 'schema.2000',
    label: "… in transactions of 2,000 (the engine's chunk)",
    call: { fn: 'floor', indexes: true, chunk: 2_000, durability: 'default' },
  },
  {
    key: 'schema.500',
    label: '… in transactions of 500',
    call: { fn: 'floor', indexes: true, chunk: 500, durability: 'default' },
  },
  {
    key: 'schema.words.2000',
    label:
      '… with the search index too (`*_words` multi-entry, `_changed`; decision 018), transactions of 2,000',
    call: { fn: 'floor', indexes: true, chunk: 2_000, durability: 'default', words: true },
  },
  {
    key: 'engine',
    label: "**client engine sync()** into an empty database (Dexie's default durability)",
    call: { fn: 'engine', durability: 'default' },
  },
  {
    key: 'engine.relaxed',
    label: "… with Dexie's `chromeTransactionDurability: 'relaxed'`",
    call: { fn: 'engine', durability: 'relaxed' },
  },
  {
    key: 'engine.strict',
    label: "… with `chromeTransactionDurability: 'strict'`",
    call: { fn: 'engine', durability: 'strict' },
  },
  {
    key: 'parse.page',
    label: 'JSON.parse of the body on the page (main thread)',
    call: { fn: 'parseInPage' },
  },
  {
    key: 'fetch.page',
    label: 'fetch + response.json() on the page',
    call: { fn: 'fetchParseInPage' },
  },
  {
    key: 'worker.post',
    label: 'fetch + parse in a worker, records posted to the page',
    call: { fn: 'inWorker', then: 'post' },
  },
  {
    key: 'worker.store',
    label: 'fetch + parse in a worker, stored there (bare stores, one transaction)',
    call: { fn: 'inWorker', then: 'store' },
  },
]

export interface StorageCostResult {
  scale: number
  records: number
  bodyBytes: number
  browser: string
  /** key → every repetition, with the 1-minute load average when it started. */
  runs: Record<string, (StorageTiming & { load: number })[]>
}

async function bundle(entry: string, format: 'esm' | 'iife'): Promise<string> {
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    format,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  })
  const code = result.outputFiles[0]?.text
  if (!code) throw new Error(`esbuild produced no bundle for ${entry}`)
  return code
}

export async function runStorageCost(
  scale: number,
  reps: number,
  log: (line: string) => void,
): Promise<StorageCostResult> {
  const [script, worker] = await Promise.all([
    bundle('storage-cost-page.ts', 'esm'),
    bundle('storage-cost-worker.ts', 'iife'),
  ])
  const html =
    '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench-page.js"></script>'
  const server = await startStaticServer({ html, script })
  server.setData('full', fullBody(scale))
  server.setData('worker', worker)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--js-flags=--expose-gc'],
  })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'storage cost ready')
    const api = (fn: string, args: unknown[]) =>
      page.evaluate(
        ([name, rest]) => {
          const o = (globalThis as unknown as { storageCost: Record<string, (...a: unknown[]) => unknown> })
            .storageCost
          return (o[name as string] as (...a: unknown[]) => unknown)(...(rest as unknown[]))
        },
        [fn, args] as const,
      )
    const loaded = (await api('load', [])) as Awaited<ReturnType<StorageCostApi['load']>>
    const expected = baseSizes(scale).companies + baseSizes(scale).contacts
    const runs: StorageCostResult['runs'] = {}
    for (let rep = 0; rep < reps; rep++) {
      log(`storage cost ${scale}×: repetition ${rep + 1} of ${reps}`)
      // Rotate the order, so no variant always runs right after the same other one.
      for (let i = 0; i < VARIANTS.length; i++) {
        const v = VARIANTS[(i + rep) % VARIANTS.length] as Variant
        const load = loadavg()[0] ?? 0
        const { fn, ...rest } = v.call
        const args =
          fn === 'floor'
            ? [`floor-${v.key}`, rest]
            : fn === 'engine'
              ? [`engine-${v.key}`, (rest as { durability: Durability }).durability]
              : fn === 'inWorker'
                ? [(rest as { then: string }).then, `worker-${v.key}`]
                : []
        const t = (await api(fn, args)) as StorageTiming
        if (t.stored !== expected)
          throw new Error(`${v.key} stored ${t.stored} records, expected ${expected}`)
        ;(runs[v.key] ??= []).push({ ...t, load })
        log(`storage cost ${scale}×: ${v.key} ${Math.round(t.ms)} ms (load ${load.toFixed(1)})`)
      }
    }
    if (errors.length > 0) throw new Error(`storage cost page errors: ${errors.join('; ')}`)
    return {
      scale,
      records: loaded.records,
      bodyBytes: loaded.bytes,
      browser: `Chromium ${browser.version()}`,
      runs,
    }
  } finally {
    await browser.close()
    await server.close()
  }
}

/** The Markdown table: medians, each against the floor, with the load average the runs started under. */
export function storageCostReport(result: StorageCostResult): string {
  const med = (key: string, what: 'ms' | 'longestBlockedMs' | 'load') =>
    median((result.runs[key] ?? []).map((r) => r[what]))
  const floor = med('floor', 'ms')
  const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en')} ms` : '—')
  const rows = VARIANTS.map((v) => {
    const m = med(v.key, 'ms')
    const loads = (result.runs[v.key] ?? []).map((r) => r.load.toFixed(1)).join(', ')
    return `| ${v.label} | ${ms(m)} | ${(m / floor).toFixed(2)}× | ${ms(med(v.key, 'longestBlockedMs'))} | ${loads} |`
  })
  const reps = Math.max(...Object.values(result.runs).map((r) => r.length))
  return [
    `### Storing ${result.records.toLocaleString('en')} records in IndexedDB (${result.scale}×, ` +
      `${(result.bodyBytes / 2 ** 20).toFixed(1)} MiB of JSON; ${result.browser}; medians of ${reps})`,
    '',
    '| what | median | vs floor | longest main-thread block | load average at start |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

/**
 * Issue 15: importing a 10,000-row CSV of contacts with their companies, in headless Chromium through the app's own
 * import code (bench/browser/import-bench-page.ts). Printed against its target by `npm run bench`; never a test
 * gate. Run alone: `npx tsx bench/import-bench.ts`.
 */
import { build } from 'esbuild'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startStaticServer } from './browser/static-server.ts'
import type { ImportTiming } from './browser/import-bench-page.ts'

const here = dirname(fileURLToPath(import.meta.url))

/** The target: 10,000 rows imported in at most 10 s on this machine. */
export const IMPORT_TARGET = { rows: 10_000, ms: 10_000 }

/** A spreadsheet as a team keeps it: one row per contact, 1,000 companies named again on each of their rows. */
export function benchCsv(rows: number): string {
  const lines = ['Company,Contact name,Email,Phone,Job title']
  for (let i = 0; i < rows; i++) {
    lines.push(
      `"Company ${i % 1000}, Ltd",Person ${i},person${i}@example.com,+44 20 7946 ${String(i % 10_000).padStart(4, '0')},Buyer`,
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

/** `rows` is the target's 10,000 except in the `--quick` smoke run. */
export async function runImportBench(
  reps: number,
  log: (line: string) => void,
  rows: number = IMPORT_TARGET.rows,
): Promise<ImportTiming[]> {
  const bundle = await build({
    entryPoints: [join(here, 'browser', 'import-bench-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  })
  const script = bundle.outputFiles[0]?.text
  if (!script) throw new Error('esbuild produced no bundle for the import bench page')
  const html =
    '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench-page.js"></script>'
  const server = await startStaticServer({ html, script })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'import bench ready')
    const csv = benchCsv(rows)
    const timings: ImportTiming[] = []
    for (let rep = 0; rep < reps; rep++) {
      log(`import ${rows} rows: repetition ${rep + 1} of ${reps}`)
      const t = await page.evaluate(
        ([text, name]) =>
          (
            globalThis as unknown as {
              importBench: { importCsv: (csv: string, db: string) => Promise<ImportTiming> }
            }
          ).importBench.importCsv(text, name),
        [csv, `import-bench-${rep}`] as const,
      )
      if (t.contacts !== rows || t.errors !== 0)
        throw new Error(`the import bench imported ${t.contacts} contacts with ${t.errors} errors`)
      timings.push(t)
    }
    if (errors.length > 0) throw new Error(`import bench page errors: ${errors.join('; ')}`)
    return timings
  } finally {
    await browser.close()
    await server.close()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN
}

/** The Markdown lines `npm run bench` prints: medians, and the total against the target. */
export function importReport(timings: ImportTiming[], rows: number = IMPORT_TARGET.rows): string {
  const m = (k: keyof ImportTiming) => Math.round(median(timings.map((t) => t[k] as number)))
  const total = m('totalMs')
  const verdict =
    rows !== IMPORT_TARGET.rows
      ? 'not comparable: fewer rows'
      : total <= IMPORT_TARGET.ms
        ? 'meets'
        : 'MISSES'
  return [
    `### CSV import (issue 15): ${rows.toLocaleString('en')} rows, ${timings.length} repetitions, medians`,
    '',
    '| parse (papaparse, chunks) | check (field rules) | write (local adds) | total | target | longest event-loop hold |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${m('parseMs')} ms | ${m('checkMs')} ms | ${m('writeMs')} ms | **${total} ms** | ≤ ${IMPORT_TARGET.ms} ms (${verdict}) | ${m('longestBlockedMs')} ms |`,
  ].join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const timings = await runImportBench(3, (line) => console.error(`· ${line}`))
  console.log(importReport(timings))
}

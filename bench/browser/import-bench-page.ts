/**
 * The import benchmark's page, bundled for Chromium: the web app's real import path (papaparse in chunks from a
 * File, the field-rule check of every row, the batched local adds through the client engine's `create`) on a
 * real IndexedDB. Timing happens here; bench/import-bench.ts drives it through Playwright.
 */
import { createLocalDatabase, createLocalWrites } from '@offline-sync/sync-client'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { watchEventLoop } from './page-tools.ts'
import { guessMapping, parseCsvFile, planImport, writeImport } from '@offline-sync/web/import-api'

export interface ImportTiming {
  parseMs: number
  checkMs: number
  writeMs: number
  totalMs: number
  /** The longest the page's event loop was held (gaps between 0 ms timers) while the import ran. */
  longestBlockedMs: number
  companies: number
  contacts: number
  errors: number
}

async function importCsv(csv: string, dbName: string): Promise<ImportTiming> {
  const db = createLocalDatabase(companiesContacts, dbName)
  const writes = createLocalWrites(db, companiesContacts)
  await db.open()
  const file = new File([csv], 'bench.csv', { type: 'text/csv' })
  const stop = watchEventLoop()
  const start = performance.now()
  const parsed = await parseCsvFile(file)
  const parsedAt = performance.now()
  const plan = planImport(parsed.rows, guessMapping(parsed.headers), new Set())
  const checkedAt = performance.now()
  const result = await writeImport(db, writes, plan)
  const end = performance.now()
  const longestBlockedMs = stop()
  const contacts = await db.children.count()
  await db.delete()
  return {
    parseMs: parsedAt - start,
    checkMs: checkedAt - parsedAt,
    writeMs: end - checkedAt,
    totalMs: end - start,
    longestBlockedMs,
    companies: result.companies,
    contacts,
    errors: plan.errors.length,
  }
}

;(globalThis as unknown as { importBench: unknown }).importBench = { importCsv }
document.title = 'import bench ready'

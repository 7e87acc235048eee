/**
 * Evaluated in the app's page by the new-phone benchmark (bundled by esbuild): makes the records of the first
 * upload on the device, offline, through the app's own import code (papaparse, the field rules, batched local adds
 * through the client engine's `createMany`) into the database the app has open. They sync like anything typed in.
 */
import { createLocalDatabase, createLocalWrites } from '@offline-sync/sync-client'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { guessMapping, parseCsvFile, planImport, writeImport } from '@offline-sync/web/import-api'

/** A spreadsheet of `contacts` rows, one per contact, naming `companies` companies again on each of their rows. */
export function uploadCsv(companies: number, contacts: number): string {
  const lines = ['Company,Contact name,Email,Phone,Job title']
  for (let i = 0; i < contacts; i++) {
    const company = i % companies
    lines.push(
      `"New phone ${company}, Ltd",Offline person ${i},offline${i}@example.com,+44 20 7946 ${String(i % 10_000).padStart(4, '0')},Buyer`,
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

async function makeOffline(
  dbName: string,
  companies: number,
  contacts: number,
): Promise<{ companies: number; contacts: number; errors: number; ms: number }> {
  const start = performance.now()
  const db = createLocalDatabase(companiesContacts, dbName)
  try {
    await db.open()
    const writes = createLocalWrites(db, companiesContacts)
    const parsed = await parseCsvFile(new File([uploadCsv(companies, contacts)], 'offline.csv'))
    const plan = planImport(parsed.rows, guessMapping(parsed.headers), new Set())
    const result = await writeImport(db, writes, plan)
    return { ...result, errors: plan.errors.length, ms: performance.now() - start }
  } finally {
    db.close()
  }
}

const api = { makeOffline }
export type OfflineRecordsApi = typeof api
;(globalThis as unknown as { __offlineRecords: OfflineRecordsApi }).__offlineRecords = api

// @vitest-environment jsdom
// jsdom: papaparse reads a File with the browser's FileReader, which Node lacks.
import { afterEach, describe, expect, it } from 'vitest'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { companiesContacts } from '@offline-sync/sync-protocol'
import {
  createLocalDatabase,
  createLocalQueries,
  createLocalWrites,
  listSendable,
  type LocalDatabase,
} from '@offline-sync/sync-client'
import { companiesCsv, contactsCsv } from '../features/export/api/csv-export.ts'
import { readExportData } from '../features/export/api/read-export-data.ts'
import { parseCsvFile } from '../features/import/api/parse-csv-file.ts'
import { guessMapping } from '../features/import/api/import-fields.ts'
import { companyKey, planImport } from '../features/import/api/plan-import.ts'
import { writeImport, type ImportProgress } from '../features/import/api/write-import.ts'

const opened: LocalDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete()
})

function device() {
  const db = createLocalDatabase(companiesContacts, `import-${crypto.randomUUID()}`, {
    indexedDB,
    IDBKeyRange,
  })
  opened.push(db)
  return {
    db,
    writes: createLocalWrites(db, companiesContacts),
    queries: createLocalQueries(db, companiesContacts),
  }
}

async function importCsv(
  target: ReturnType<typeof device>,
  csv: string,
  onProgress?: (p: ImportProgress) => void,
  batchSize?: number,
) {
  const parsed = await parseCsvFile(new File([csv], 'in.csv', { type: 'text/csv' }))
  const existing = new Set((await target.db.parents.toArray()).map((p) => companyKey(String(p.name))))
  const plan = planImport(parsed.rows, guessMapping(parsed.headers), existing)
  return { plan, result: await writeImport(target.db, target.writes, plan, onProgress, batchSize) }
}

// In app/: it joins two features (export writes the files, import reads them), which only the app layer may.
describe('export then import', () => {
  it('carries companies and contacts (with their company) from one device to another as local adds', async () => {
    const source = device()
    const acme = await source.writes.create('company', {
      name: 'Acme, "the" company',
      address: '1 Main St\nSpringfield',
      phone: '+1 555 0100',
      website: 'https://acme.example',
    })
    const owl = await source.writes.create('company', { name: 'Night Owl Bakery' })
    await source.writes.create('contact', { name: 'Zoë Ådams', email: 'zoe@example.com', companyId: acme.id })
    await source.writes.create('contact', {
      name: '=Formula Fan',
      jobTitle: 'Baker; head',
      companyId: owl.id,
    })
    const data = await readExportData(source.db)

    const target = device()
    const companies = await importCsv(target, companiesCsv(data.companies))
    expect(companies.plan.errors).toEqual([])
    expect(companies.result).toEqual({ companies: 2, contacts: 0 })
    const contacts = await importCsv(target, contactsCsv(data.contacts))
    expect(contacts.plan.errors).toEqual([])
    // Both companies exist already (imported just before): the contacts link to them, nothing is duplicated.
    expect(contacts.result).toEqual({ companies: 0, contacts: 2 })

    const copied = await readExportData(target.db)
    const strip = (d: typeof data) => ({
      companies: d.companies.map(({ uid: _u, id: _i, ...rest }) => rest),
      contacts: d.contacts.map(({ uid: _u, companyId: _c, ...rest }) => rest),
    })
    expect(strip(copied)).toEqual(strip(data))
    // They are adds waiting for the next sync, like records typed into the form.
    expect(await target.queries.pendingCount()).toBe(4)
    const sendable = await listSendable(target.db, companiesContacts)
    expect(sendable.parents.map((p) => p.isFromServer)).toEqual([false, false])
  })

  it('imports rows in batches, telling progress after each, and creates each company once', async () => {
    const target = device()
    const lines = ['Company,Contact name,Email']
    for (let i = 0; i < 250; i++) lines.push(`Firm ${i % 7},Person ${i},p${i}@example.com`)
    const progress: ImportProgress[] = []
    const { result } = await importCsv(target, lines.join('\n'), (p) => progress.push(p), 100)
    expect(result).toEqual({ companies: 7, contacts: 250 })
    expect(progress.map((p) => p.done)).toEqual([0, 100, 200, 250])
    expect(await target.db.children.count()).toBe(250)
    const firm3 = (await target.db.parents.toArray()).find((p) => p.name === 'Firm 3')
    expect(
      await target.db.children
        .where('companyId')
        .equals(firm3?.id ?? 0)
        .count(),
    ).toBe(36)
  })
})

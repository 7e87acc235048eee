import type { LocalDatabase, createLocalWrites } from '@offline-sync/sync-client'
import { companyKey, type ImportPlan } from './plan-import.ts'

type LocalWrites = ReturnType<typeof createLocalWrites>

export interface ImportProgress {
  done: number
  total: number
}

export interface ImportResult {
  companies: number
  contacts: number
}

/** Rows per Dexie transaction: big enough that commits do not dominate, small enough to show progress often. */
const BATCH = 500

/**
 * Writes a plan's rows as local adds through the client engine's `createMany` (the same checks, flags, negative ids
 * and outbox as a form's `create`), so they sync like anything typed in. Each batch of rows is ONE IndexedDB
 * transaction with one bulk write per table, not four IndexedDB requests per row as a `create` each would take
 * (docs/performance.md has the figures). A batch is all or nothing; between batches the screen gets a frame and `onProgress` is told.
 *
 * Rejects with the engine's error (LocalValidationError, a Dexie error) if a batch fails; the batches before it
 * stay imported and the rejection says how far it got (`ImportStoppedError`).
 */
export async function writeImport(
  db: LocalDatabase,
  writes: LocalWrites,
  plan: ImportPlan,
  onProgress: (progress: ImportProgress) => void = () => {},
  batchSize = BATCH,
): Promise<ImportResult> {
  const total = plan.rows.length
  const result: ImportResult = { companies: 0, contacts: 0 }
  // The ids of companies already on the device, and of those this import creates, by matching key.
  const companyIds = new Map<string, number>()
  await db.transaction('r', db.parents, async () => {
    await db.parents.orderBy('_sort').each((p) => {
      const key = companyKey(typeof p.name === 'string' ? p.name : '')
      if (!companyIds.has(key)) companyIds.set(key, p.id)
    })
  })
  onProgress({ done: 0, total })
  for (let start = 0; start < total; start += batchSize) {
    const batch = plan.rows.slice(start, start + batchSize)
    const counts = { companies: 0, contacts: 0 }
    const ids = new Map<string, number>()
    try {
      await db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
        const newCompanies = batch.filter((row) => row.newCompany)
        const created = await writes.createMany(
          'company',
          newCompanies.map((row) => row.newCompany as Record<string, unknown>),
        )
        newCompanies.forEach((row, i) => ids.set(row.companyKey, created[i]?.id as number))
        const contacts = batch.filter((row) => row.contact)
        await writes.createMany(
          'contact',
          contacts.map((row) => ({
            ...row.contact,
            companyId: ids.get(row.companyKey) ?? companyIds.get(row.companyKey),
          })),
        )
        counts.companies = created.length
        counts.contacts = contacts.length
      })
    } catch (err) {
      throw new ImportStoppedError(result, batch[0]?.line ?? 0, err)
    }
    // Only a committed batch counts.
    for (const [key, id] of ids) companyIds.set(key, id)
    result.companies += counts.companies
    result.contacts += counts.contacts
    onProgress({ done: Math.min(start + batchSize, total), total })
    // Give the browser a frame to paint the progress bar and handle input.
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return result
}

/** A batch failed: nothing of it was written; `imported` says what the batches before it added. */
export class ImportStoppedError extends Error {
  override readonly name = 'ImportStoppedError'
  constructor(
    readonly imported: ImportResult,
    readonly atLine: number,
    override readonly cause: unknown,
  ) {
    super(
      `The import stopped at line ${atLine}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        `${imported.companies} companies and ${imported.contacts} contacts before it were imported.`,
    )
  }
}

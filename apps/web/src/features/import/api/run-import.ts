import { db, writes } from '../../../lib/db.ts'
import { parseCsvFile, type ParsedCsv } from './parse-csv-file.ts'
import { companyKey, type ImportPlan } from './plan-import.ts'
import { writeImport, type ImportProgress, type ImportResult } from './write-import.ts'

/** The file's rows, and the names of the companies already on this phone (the plan links to them). */
export async function readImportFile(
  file: File,
  onRows: (count: number) => void,
): Promise<ParsedCsv & { existing: Set<string> }> {
  const parsed = await parseCsvFile(file, onRows)
  const existing = new Set<string>()
  await db.parents.orderBy('_sort').each((p) => existing.add(companyKey(String(p.name))))
  return { ...parsed, existing }
}

/** Writes the plan on this phone as local adds; they sync with the next sync like anything typed in. */
export function importPlan(plan: ImportPlan, onProgress: (p: ImportProgress) => void): Promise<ImportResult> {
  return writeImport(db, writes, plan, onProgress)
}

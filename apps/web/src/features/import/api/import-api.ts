// The import's steps as one entry point, for the import benchmark (bench/browser/import-bench-page.ts), which runs
// them in Chromium outside the app: parse → guess the columns → check the rows → write them as local adds.
export { parseCsvFile } from './parse-csv-file.ts'
export { guessMapping } from './import-fields.ts'
export { planImport } from './plan-import.ts'
export { writeImport } from './write-import.ts'

import Papa from 'papaparse'

export interface ParsedCsv {
  headers: string[]
  rows: string[][]
}

/**
 * Reads a CSV file in chunks (papaparse reads 1 MB at a time with a FileReader and calls back between reads), so a
 * large file never holds the screen: `onRows` hears the running count after each chunk. The first row is the
 * heading. Rejects with a readable message on an unreadable file; papaparse's per-row warnings (a stray quote)
 * are not fatal, the row is taken as papaparse read it and then checked like any other.
 */
export function parseCsvFile(file: Blob, onRows: (count: number) => void = () => {}): Promise<ParsedCsv> {
  return new Promise((resolve, reject) => {
    let headers: string[] | null = null
    const rows: string[][] = []
    Papa.parse<string[]>(file as File, {
      skipEmptyLines: 'greedy',
      chunkSize: 1024 * 1024,
      chunk: (results) => {
        for (const row of results.data) {
          if (headers === null)
            headers = row.map((h, i) => h.replace(/^\uFEFF/, '').trim() || `Column ${i + 1}`)
          else rows.push(row)
        }
        onRows(rows.length)
      },
      complete: () => {
        if (headers === null) reject(new Error('The file is empty.'))
        else resolve({ headers, rows })
      },
      error: (err) => reject(new Error(`The file could not be read: ${err.message}`)),
    })
  })
}

export interface ParsedCsv {
    headers: string[];
    rows: string[][];
}
/**
 * Reads a CSV file in chunks (papaparse reads 1 MB at a time with a FileReader and calls back between reads), so a
 * large file never holds the screen: `onRows` hears the running count after each chunk. The first row is the
 * heading. Rejects with a readable message on an unreadable file; papaparse's per-row warnings (a stray quote)
 * are not fatal, the row is taken as papaparse read it and then checked like any other.
 */
export declare function parseCsvFile(file: Blob, onRows?: (count: number) => void): Promise<ParsedCsv>;

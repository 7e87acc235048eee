import type { ImportTarget } from './import-fields.ts';
type Fields = Record<string, string | null>;
/** One row of the file that can be imported: its company (new, or one already here) and maybe a contact. */
export interface PlannedRow {
    /** The line in the file, counting the heading as line 1, so a person can find it in the spreadsheet. */
    line: number;
    /** Lower-cased trimmed company name: rows that name the same company share it. */
    companyKey: string;
    /** Set on the first row naming a company that is not on the device: that row creates it. */
    newCompany: Fields | null;
    contact: Fields | null;
}
export interface RowError {
    line: number;
    messages: string[];
}
export interface ImportPlan {
    rows: PlannedRow[];
    errors: RowError[];
    /** Rows with nothing in any mapped column (blank lines in a spreadsheet): skipped without an error. */
    blank: number;
    newCompanies: number;
    existingCompanies: number;
    newContacts: number;
}
/** The key companies are matched by: trimmed, case-insensitive, accents as typed (decision 019). */
export declare const companyKey: (name: string) => string;
/**
 * Cleans one cell as the form would take it, plus what spreadsheets add: surrounding spaces go, an empty cell is
 * "not set", and the apostrophe a CSV export puts before a formula-like value (ours included) is taken off.
 */
export declare function cleanCell(raw: string | undefined): string | null;
/**
 * Checks every row with the same field rules as the forms and the server (`checkRecord`), and decides which rows
 * create a company and which link to one: a contact goes under the company named in its row, found on the device
 * or created by the import (decision 019). Nothing is written here; a row with an error is reported, not imported.
 *
 * @param existing lower-cased company name → a company already on this device
 */
export declare function planImport(rows: readonly string[][], mapping: readonly ImportTarget[], existing: ReadonlySet<string>): ImportPlan;
export {};

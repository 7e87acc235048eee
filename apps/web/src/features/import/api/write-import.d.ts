import type { LocalDatabase, createLocalWrites } from '@offline-sync/client-engine';
import { type ImportPlan } from './plan-import.ts';
type LocalWrites = ReturnType<typeof createLocalWrites>;
export interface ImportProgress {
    done: number;
    total: number;
}
export interface ImportResult {
    companies: number;
    contacts: number;
}
/**
 * Writes a plan's rows as local adds through the client engine's `createMany` (the same checks, flags, negative ids
 * and outbox as a form's `create`), so they sync like anything typed in. Each batch of rows is ONE IndexedDB
 * transaction with one bulk write per table, not four IndexedDB requests per row as a `create` each would take
 * (docs/performance.md has the figures). A batch is all or nothing; between batches the screen gets a frame and `onProgress` is told.
 *
 * Rejects with the engine's error (LocalValidationError, a Dexie error) if a batch fails; the batches before it
 * stay imported and the rejection says how far it got (`ImportStoppedError`).
 */
export declare function writeImport(db: LocalDatabase, writes: LocalWrites, plan: ImportPlan, onProgress?: (progress: ImportProgress) => void, batchSize?: number): Promise<ImportResult>;
/** A batch failed: nothing of it was written; `imported` says what the batches before it added. */
export declare class ImportStoppedError extends Error {
    readonly imported: ImportResult;
    readonly atLine: number;
    readonly cause: unknown;
    readonly name = "ImportStoppedError";
    constructor(imported: ImportResult, atLine: number, cause: unknown);
}
export {};

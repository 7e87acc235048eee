import type { LocalDatabase } from './local-database.ts'

/**
 * A paged full download under way (rules G1–G9), kept in meta `download` and written in the same transaction as
 * each page it stored, so that a lost connection or a closed app resumes from the next page, not from zero.
 * Absent when no download is under way: the last page removes it as it stores the cursor.
 */
export interface DownloadState {
  /** The snapshot cursor C (rule G2): every page of this download carries it; one that does not starts anew (G6). */
  snapshot: string
  /** The `page.next` token of the page to ask for next (rule G4). */
  next: string
  /** Records stored by this download so far, and how many it holds in all (`page.total`): its progress. */
  stored: number
  total: number
  /** Answers stored so far: more than one means the snapshot is older than this sync, so a catch-up is owed (G5). */
  pages: number
  /**
   * The device held server rows when the download began: the download marks the rows it stores (`_snapshot`)
   * and its last page removes the server rows it did not bring that are not pending (rule G9).
   */
  sweep: boolean
}

/** The download under way, or null. Reads meta only; call it inside or outside a transaction. */
export async function readDownload(db: LocalDatabase): Promise<DownloadState | null> {
  const value = (await db.meta.get('download'))?.value as DownloadState | undefined
  return value && typeof value.next === 'string' && typeof value.snapshot === 'string' ? value : null
}

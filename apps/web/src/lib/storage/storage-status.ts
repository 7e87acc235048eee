import { formatDecimal } from '../format/locale-format.ts'

/** What the browser says about this app's storage. `null` where the browser does not tell. */
export interface StorageStatus {
  /** true: the browser will not evict our data under storage pressure. */
  persisted: boolean | null
  /** Bytes used by this origin (IndexedDB, caches, service worker). */
  usage: number | null
  /** Bytes this origin may use at most. */
  quota: number | null
}

interface StorageManagerLike {
  persisted?: () => Promise<boolean>
  estimate?: () => Promise<{ usage?: number; quota?: number }>
}

const unknownStatus: StorageStatus = { persisted: null, usage: null, quota: null }

/** Reads persistence and usage/quota. Never throws: a browser without a StorageManager gets all nulls. */
export async function readStorageStatus(
  storage: StorageManagerLike | undefined = typeof navigator === 'undefined' ? undefined : navigator.storage,
): Promise<StorageStatus> {
  if (!storage) return unknownStatus
  const [persisted, estimate] = await Promise.all([
    storage.persisted?.().catch(() => null) ?? null,
    storage.estimate?.().catch(() => null) ?? null,
  ])
  return {
    persisted: typeof persisted === 'boolean' ? persisted : null,
    usage: typeof estimate?.usage === 'number' ? estimate.usage : null,
    quota: typeof estimate?.quota === 'number' && estimate.quota > 0 ? estimate.quota : null,
  }
}

/**
 * Asks again to keep the data (the start-up request remembers a refusal; this is the user's explicit request).
 * Resolves whether storage is now persistent; never throws.
 */
export async function askToPersist(
  storage: { persist?: () => Promise<boolean> } | undefined = typeof navigator === 'undefined'
    ? undefined
    : navigator.storage,
): Promise<boolean> {
  try {
    return (await storage?.persist?.()) ?? false
  } catch {
    return false
  }
}

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const

/** 1536 → "1.5 KB" ("1,5 KB" in German: the number in the browser's locale, `locale` is for tests); decimal units would disagree with what phones show in their settings, so 1 KB = 1024. */
export function formatBytes(bytes: number, locale?: string): string {
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${formatDecimal(value, digits, locale)} ${units[unit]}`
}

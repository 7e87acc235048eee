const KEY = 'offline-sync:storage-persist'

export type PersistenceAnswer = 'granted' | 'denied' | 'unsupported'

interface StorageLike {
  persisted?: () => Promise<boolean>
  persist?: () => Promise<boolean>
}

interface MemoryLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function safeMemory(): MemoryLike | null {
  try {
    return window.localStorage
  } catch {
    return null // storage blocked (privacy settings): we just ask again next time
  }
}

/**
 * Asks the browser to keep our IndexedDB data under storage pressure, so unsynced work is not evicted.
 * Asks once per installation and remembers the answer; never throws.
 */
export async function requestPersistentStorage(
  storage: StorageLike | undefined = typeof navigator === 'undefined' ? undefined : navigator.storage,
  memory: MemoryLike | null = safeMemory(),
): Promise<PersistenceAnswer> {
  if (!storage?.persist || !storage.persisted) return 'unsupported'
  const remembered = memory?.getItem(KEY)
  if (remembered === 'granted' || remembered === 'denied') return remembered
  try {
    const granted = (await storage.persisted()) || (await storage.persist())
    const answer = granted ? 'granted' : 'denied'
    try {
      memory?.setItem(KEY, answer)
    } catch {
      // Quota or privacy mode: forgetting the answer only means asking again.
    }
    return answer
  } catch {
    return 'denied'
  }
}

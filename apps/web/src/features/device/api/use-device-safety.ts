import { useCallback, useEffect, useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { queries } from '../../../lib/db.ts'
import { toEpochMs } from '../../../lib/format/relative-time.ts'
import { useNow } from '../../../lib/use-now.ts'
import { readStorageStatus, type StorageStatus } from '../../../lib/storage/storage-status.ts'
import { assessStorageRisks, type StorageRisk } from '../../../lib/storage/storage-risks.ts'

/** The estimate moves with every write and sync; once a minute (and after each change count change) is plenty. */
const REFRESH_MS = 60_000

export interface DeviceSafety {
  /** undefined until the browser has answered. */
  status: StorageStatus | undefined
  pending: number | undefined
  lastSyncedAt: number | null
  risks: StorageRisk[]
  /** Reads the browser's figures again (e.g. after asking for persistence). */
  refresh: () => void
}

/** How safe the data on this device is: persistence, usage and quota, and the risks to unsynced changes. */
export function useDeviceSafety(): DeviceSafety {
  const pending = useLiveQuery(() => queries.pendingCount(), [])
  const syncState = useLiveQuery(() => queries.syncState(), [])
  const now = useNow(REFRESH_MS)
  const [status, setStatus] = useState<StorageStatus>()
  const [version, setVersion] = useState(0)
  const refresh = useCallback(() => setVersion((v) => v + 1), [])

  useEffect(() => {
    let current = true
    void readStorageStatus().then((next) => {
      if (current) setStatus(next)
    })
    return () => {
      current = false
    }
  }, [now, pending, version])

  const lastSyncedAt = toEpochMs(syncState?.lastSyncedAt)
  const risks =
    status === undefined || pending === undefined
      ? []
      : assessStorageRisks({ status, pending, lastSyncedAt, now: Date.now() })
  return { status, pending, lastSyncedAt, risks, refresh }
}

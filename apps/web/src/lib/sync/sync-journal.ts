import { createSyncJournal, type SyncReport, type Transport } from '@offline-sync/client-engine'
import { db } from '../db.ts'

/** Every sync of this account on this device, newest last; in its own database next to the account's data. */
export const syncJournal = createSyncJournal(`${db.name}-journal`)

/** Request/response sizes by syncId, between the transport measuring them and the journal recording the sync. */
const sizes = new Map<string, { sent: number; received: number }>()
const encoder = new TextEncoder()
const jsonBytes = (value: unknown) => encoder.encode(JSON.stringify(value) ?? '').length

/**
 * Wraps the transport to measure what each sync sent and received, as JSON bytes before compression (what the
 * phone had to build and parse; the wire may carry less).
 */
export function measuredTransport(inner: Transport): Transport {
  return async (request) => {
    const size = { sent: jsonBytes(request), received: 0 }
    sizes.set(request.syncId, size)
    const body = await inner(request)
    size.received = jsonBytes(body)
    return body
  }
}

/** The engine's onSyncFinished: one journal entry per sync, with its sizes. */
export async function recordSync(report: SyncReport): Promise<void> {
  const bytes = sizes.get(report.syncId)
  sizes.delete(report.syncId)
  await syncJournal.record(report, bytes)
}

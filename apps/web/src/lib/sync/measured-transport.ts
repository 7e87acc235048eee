import type { JournalBytes, SyncReport, Transport } from '@offline-sync/sync-client'
import { SYNC_PATH } from './http-transport.ts'
import { syncJournal } from './sync-journal.ts'
import { observeWireSizes } from './wire-sizes.ts'

/**
 * Request/response sizes by syncId, between the transport measuring them and the journal recording the sync, in
 * the order sent. `page`: a page request of a full download, which the engine sends within the sync before it.
 */
const sizes = new Map<string, { bytes: JournalBytes; startedAt: number; page: boolean }>()
const wire = observeWireSizes(SYNC_PATH)
const encoder = new TextEncoder()
const jsonBytes = (value: unknown) => encoder.encode(JSON.stringify(value) ?? '').length

/**
 * Wraps the transport to measure what each sync sent and received, as JSON bytes (what the phone had to build and
 * parse); the response's size on the network is looked up when the sync is recorded.
 */
export function measuredTransport(inner: Transport): Transport {
  return async (request) => {
    const bytes: JournalBytes = { sent: jsonBytes(request), received: 0 }
    sizes.set(request.syncId, { bytes, startedAt: performance.now(), page: Boolean(request.page) })
    const body = await inner(request)
    bytes.received = jsonBytes(body)
    return body
  }
}

/** The engine's onSyncFinished: one journal entry per sync, with its sizes (a download's pages summed in). */
export async function recordSync(report: SyncReport): Promise<void> {
  const size = takeSizes(report.syncId)
  // Looked up now, not in the transport: the browser files a response's timing after its body was read.
  const onWire = size && size.bytes.received > 0 ? wire.receivedSince(size.startedAt) : undefined
  const bytes = size && onWire !== undefined ? { ...size.bytes, receivedOnWire: onWire } : size?.bytes
  await syncJournal.record(report, bytes)
}

/** The sizes of the sync whose first request was `syncId`: that request and the page requests sent after it. */
function takeSizes(syncId: string): { bytes: JournalBytes; startedAt: number } | undefined {
  let found: { bytes: JournalBytes; startedAt: number } | undefined
  for (const [id, entry] of sizes) {
    if (found && !entry.page) break
    // Everything up to this sync's requests belongs to syncs already recorded (or never recorded): dropped.
    sizes.delete(id)
    if (id === syncId) found = { bytes: { ...entry.bytes }, startedAt: entry.startedAt }
    else if (found) {
      found.bytes.sent += entry.bytes.sent
      found.bytes.received += entry.bytes.received
    }
  }
  return found
}

/**
 * A (deviceId, syncId) that was already applied came back with a different payload. That is a client bug
 * (rule R7: a syncId is never reused for other changes); the server refuses it with HTTP 409 `sync_id_reused`
 * and changes nothing. Not retryable: the device must build a new attempt.
 */
export class SyncIdReusedError extends Error {
  override readonly name = 'SyncIdReusedError'
  readonly code = 'sync_id_reused'
  constructor(
    readonly deviceId: string,
    readonly syncId: string,
  ) {
    super(
      `Sync ${syncId} from device ${deviceId} was already applied with different changes. ` +
        'Send new changes under a new syncId.',
    )
  }
}

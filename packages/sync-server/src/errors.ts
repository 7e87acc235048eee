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

/**
 * Rule M2: a modify or delete claims a base newer than the server's record, so the device has data this server
 * never issued (a restored database, or a forged request). Refused with 400 `invalid_request`, nothing committed.
 */
export class BaseAheadError extends Error {
  override readonly name = 'BaseAheadError'
  readonly code = 'invalid_request'
  constructor(
    readonly path: string,
    readonly base: string,
    readonly serverVersion: string,
  ) {
    super(
      `${path}: base ${base} is newer than the server's record (version ${serverVersion}); ` +
        'the device must sync in full before sending this change.',
    )
  }
}

/**
 * Rule G4: a `page` token this server cannot read, or a request that sends one with changes or a cursor. Refused
 * with 400 `invalid_request` before anything is read or written.
 */
export class InvalidPageError extends Error {
  override readonly name = 'InvalidPageError'
  readonly code = 'invalid_request'
  readonly path = 'page'
}

import { isRetryableFailure, type FailureKind } from '@offline-sync/sync-protocol'

// The kinds and which of them are retryable are the protocol's (rule E3): one list for every client.
export type { FailureKind }

/** A failed sync request: thrown by a Transport, reported (never thrown) by the engine. */
export class SyncFailure extends Error {
  override readonly name = 'SyncFailure'
  readonly kind: FailureKind
  readonly retryable: boolean
  readonly status?: number
  /** The server's Retry-After, in milliseconds. */
  readonly retryAfterMs?: number
  /** For `bad_request`: the server's `error.details` (`[{ path, message }]`), used to mark the named records. */
  readonly details?: unknown

  constructor(
    kind: FailureKind,
    message: string,
    opts: { status?: number; retryAfterMs?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.kind = kind
    this.retryable = isRetryableFailure(kind)
    if (opts.status !== undefined) this.status = opts.status
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs
    if (opts.details !== undefined) this.details = opts.details
  }
}

/**
 * The engine's port to the server. Sends one request and resolves with the parsed JSON body of a 200; throws
 * SyncFailure otherwise (any other thrown error is treated as a `network` failure). It may be called again with
 * the identical request (same syncId) after any failure, including one where the server did apply it, so an
 * implementation must not retry on its own with a changed body. The body it resolves is validated by the engine.
 */
export type Transport = (request: WireSyncRequest) => Promise<unknown>

/**
 * A sync request of any declaration as the transport sees it: JSON to send. (`SyncRequest<S>` of the protocol
 * with the change sets under the declaration's plurals; for the generic `OneToManySpec` that type has no values,
 * hence this looser shape.)
 */
export type WireSyncRequest = {
  deviceId: string
  syncId: string
  cursor?: string | null
  /** Rule G4: the token of the page of a full download asked for. */
  page?: string | null
} & Record<string, unknown>

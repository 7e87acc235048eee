/** Why a request failed (as opposed to a change being rejected, which is a result inside a 200). */
export type FailureKind =
  | 'offline'
  | 'timeout'
  | 'network'
  | 'unauthorized'
  | 'rate_limited'
  | 'unavailable'
  | 'server'
  | 'bad_request'
  | 'conflict'
  | 'invalid_response'
  /** Rule P3: the server does not speak this build's protocol version; only an update helps. Not retried. */
  | 'version_not_supported'

/**
 * Kinds after which resending the very same request (same syncId) later can succeed. `unauthorized` is not
 * retryable by a timer (someone has to sign in) but the request is still kept and resent after that.
 */
const RETRYABLE: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'offline',
  'timeout',
  'network',
  'rate_limited',
  'unavailable',
  'server',
  'invalid_response',
])

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
    this.retryable = RETRYABLE.has(kind)
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
export type WireSyncRequest = { deviceId: string; syncId: string; cursor?: string | null } & Record<
  string,
  unknown
>

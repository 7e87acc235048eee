import { z } from 'zod'
import { ERROR_CODES, type ErrorCode } from './codes.ts'

/**
 * Why a request failed, in the terms a client acts on (as opposed to a change being rejected, which is a result
 * inside a 200). Four kinds have no error code because no answer arrived or it could not be read: `offline`,
 * `timeout`, `network`, `invalid_response`.
 */
export const FAILURE_KINDS = [
  'offline',
  'timeout',
  'network',
  'unauthorized',
  'rate_limited',
  'unavailable',
  'server',
  'bad_request',
  'conflict',
  'invalid_response',
  /** Rule P3: the server does not speak this build's protocol version; only an update helps. Not retried. */
  'version_not_supported',
] as const
export type FailureKind = (typeof FAILURE_KINDS)[number]

/**
 * Rule E3: the one list of kinds after which resending the very same request (same syncId) later can succeed.
 * `unauthorized` is not retried by a timer (someone has to sign in) but the request is kept and resent after that.
 */
export const RETRYABLE_FAILURES: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'offline',
  'timeout',
  'network',
  'rate_limited',
  'unavailable',
  'server',
  'invalid_response',
])

/** Rule E2: what each error code means to a client. Agrees with the status the server sends it under (E1). */
export const FAILURE_KIND_OF_ERROR: Readonly<Record<ErrorCode, FailureKind>> = {
  invalid_json: 'bad_request',
  invalid_body: 'bad_request',
  invalid_request: 'bad_request',
  payload_too_large: 'bad_request',
  too_many_records: 'bad_request',
  unsupported_media_type: 'bad_request',
  not_found: 'bad_request',
  invalid: 'bad_request',
  sync_id_reused: 'conflict',
  version_not_supported: 'version_not_supported',
  setup_done: 'conflict',
  unauthorized: 'unauthorized',
  forbidden: 'unauthorized',
  unauthenticated: 'unauthorized',
  invalid_credentials: 'unauthorized',
  account_mismatch: 'unauthorized',
  csrf_failed: 'unauthorized',
  cross_origin: 'unauthorized',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  internal: 'server',
}

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(FAILURE_KIND_OF_ERROR, code)

/** The kind an error code stands for; undefined for a code this version does not know (a newer server's). */
export function failureKindOfError(code: string): FailureKind | undefined {
  return isErrorCode(code) ? FAILURE_KIND_OF_ERROR[code] : undefined
}

export function isRetryableFailure(kind: FailureKind): boolean {
  return RETRYABLE_FAILURES.has(kind)
}

/** Error codes whose request a client should resend later: derived from the two tables above, not kept apart. */
export const RETRYABLE_ERRORS: ReadonlySet<ErrorCode> = new Set(
  ERROR_CODES.filter((code) => isRetryableFailure(FAILURE_KIND_OF_ERROR[code])),
)

/**
 * Rule E1: the body of every non-2xx answer, `{ error: { code, message, details? } }`. The code is any string
 * here so that a client still reads the message of a code it does not know yet (E2 then falls back to the status).
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    details: z.unknown().optional(),
  }),
})
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>

/** The envelope of a parsed JSON body, or undefined when the body is not one (a proxy's page, nothing). */
export function readErrorEnvelope(body: unknown): ErrorEnvelope['error'] | undefined {
  const parsed = errorEnvelopeSchema.safeParse(body)
  return parsed.success ? parsed.data.error : undefined
}

/**
 * Three tiers of outcome (see docs/sync-protocol.md):
 * a change is applied; a change is rejected (a result, with a RejectionCode and a reason);
 * or the request failed (an error envelope with an ErrorCode, which says whether to retry).
 */

/**
 * The wire protocol this build speaks (rules P1–P3). 1 = whole-record modifies (no longer served);
 * 2 = field-level modifies with a base, overwrite reports (no longer served: its full reads were one unbounded answer);
 * 3 = full reads in pages pinned to a snapshot cursor, writes acknowledged without their echo (rules G1–G9).
 */
export const PROTOCOL_VERSION = 3

/** Why the server refused one change. The change is kept on the device and shown to the user. */
export const REJECTION_CODES = [
  /** Modify of a record that no longer exists on the server (deleted by another device). */
  'not_found',
  /** Delete of a record that is already gone. The device's intent holds; informational. */
  'already_deleted',
  /** A child added or moved under a parent that no longer exists on the server. */
  'parent_not_found',
  /** The record breaks a server-side rule that the request schema could not check. */
  'invalid',
] as const
export type RejectionCode = (typeof REJECTION_CODES)[number]

/** Machine codes of the error envelope `{ error: { code, message } }`; what each means to a client is in
 *  error-envelope.ts (FAILURE_KIND_OF_ERROR). */
export const ERROR_CODES = [
  'invalid_json',
  /** The body could not be decoded at all (e.g. a Content-Encoding it does not match). */
  'invalid_body',
  'invalid_request',
  'payload_too_large',
  'too_many_records',
  'unsupported_media_type',
  'sync_id_reused',
  /** Rule P2: the request's protocolVersion is missing or not one this server speaks. Update the app. */
  'version_not_supported',
  'unauthorized',
  'forbidden',
  'not_found',
  // Accounts and sessions (docs/sync-protocol.md, "Accounts and sessions").
  'invalid',
  'unauthenticated',
  'invalid_credentials',
  'account_mismatch',
  'csrf_failed',
  'cross_origin',
  'setup_done',
  'rate_limited',
  'unavailable',
  'internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

/** Limits shared by server (enforced) and client (respected when batching). */
export const LIMITS = {
  /** Records of all kinds in one request; a larger backlog is sent in several syncs. */
  maxRecordsPerRequest: 20_000,
  /** Request body size accepted by the server. */
  maxBodyBytes: 16 * 1024 * 1024,
} as const

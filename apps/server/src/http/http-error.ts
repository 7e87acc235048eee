import type { ErrorCode } from '@offline-sync/sync-protocol'

/** An error that maps to one HTTP answer with the protocol's error envelope `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

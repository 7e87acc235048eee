export * from './ports.ts'
export { BaseAheadError, InvalidPageError, SyncIdReusedError } from './errors.ts'
export { parseSyncRequest, type ParseResult, type RequestIssue } from './parse-sync-request.ts'
export {
  createServerDataSync,
  readChangeCursor,
  type ServerDataSync,
  type ServerDataSyncOptions,
  type SyncContext,
  type SyncLog,
} from './server-data-sync.ts'
export type { PruneResult } from './prune.ts'
export { DEFAULT_PAGE_BOUNDS, type PageBounds } from './read-page.ts'
export { decodePageToken, encodePageToken, type PageToken } from './page-token.ts'
export { requestHash, canonicalJson } from './request-hash.ts'
export {
  createPreviewChanges,
  parsePreviewRequest,
  type PreviewChanges,
  type PreviewParse,
  type PreviewRequest,
  type PreviewResult,
} from './preview-changes.ts'

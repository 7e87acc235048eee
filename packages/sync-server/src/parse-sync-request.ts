import {
  PROTOCOL_VERSION,
  typedSyncSchemas,
  type ErrorBody,
  type OneToManySpec,
  type SyncRequest,
} from '@offline-sync/sync-protocol'

/** One problem found in a request, for `error.details`. `path` is like `contacts.added[0].email`. */
export interface RequestIssue {
  path: string
  message: string
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ErrorBody['error'] }

/** How many problems the message spells out; `details` carries up to MAX_DETAILS. A 20,000-record typo stays readable. */
const MAX_LINES = 20
const MAX_DETAILS = 200
/** Unknown keys named per object, and characters shown of each. */
const MAX_KEYS = 10
const MAX_KEY_CHARS = 64

type RequestSchema = ReturnType<typeof typedSyncSchemas<OneToManySpec>>['request']
// zod's issue type, reached through the schema so this package needs no direct zod dependency.
type Issue = NonNullable<ReturnType<RequestSchema['safeParse']>['error']>['issues'][number]

const schemaCache = new WeakMap<OneToManySpec, RequestSchema>()

/**
 * Validates a decoded JSON body against the declaration's request schema. Never throws: a bad request is a
 * result with code `invalid_request`, a message listing each problem as a `path: message` line, and
 * `details` = [{ path, message }]. On success the value is normalised (absent or "" fields become null).
 */
export function parseSyncRequest<S extends OneToManySpec>(
  spec: S,
  body: unknown,
): ParseResult<SyncRequest<S>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body
    return invalid([{ path: '(request)', message: `the sync request must be a JSON object, got ${got}` }])
  }
  // Rule P2: before the schema, so a build speaking another version learns that, not a list of field errors. A body
  // without a version is a version-1 request only when it is one (it names its device); an empty or foreign object
  // is malformed, and the schema says what it lacks.
  const version = (body as { protocolVersion?: unknown }).protocolVersion
  const speaksAVersion = version !== undefined || 'deviceId' in body
  if (version !== PROTOCOL_VERSION && speaksAVersion) return versionNotSupported(version)
  let schema = schemaCache.get(spec)
  if (!schema) {
    schema = typedSyncSchemas<OneToManySpec>(spec).request
    schemaCache.set(spec, schema)
  }
  const result = schema.safeParse(body)
  // The cache holds the schema of `spec`, whose output is SyncRequest<S>; only the WeakMap's type is wider.
  if (result.success) return { ok: true, value: result.data as SyncRequest<S> }
  return invalid(result.error.issues.map((issue) => describeIssue(spec, body, issue)))
}

function versionNotSupported(version: unknown): { ok: false; error: ErrorBody['error'] } {
  const got = version === undefined ? 'none (version 1)' : shorten(JSON.stringify(version) ?? String(version))
  return {
    ok: false,
    error: {
      code: 'version_not_supported',
      message: `This server speaks sync protocol version ${PROTOCOL_VERSION}; the request carries ${got}. Update the app and sync again: nothing was changed.`,
      details: { supported: [PROTOCOL_VERSION] },
    },
  }
}

function invalid(issues: RequestIssue[]): { ok: false; error: ErrorBody['error'] } {
  const lines = issues.slice(0, MAX_LINES).map((i) => `${i.path}: ${i.message}`)
  if (issues.length > MAX_LINES) lines.push(`…and ${issues.length - MAX_LINES} more problems`)
  return {
    ok: false,
    error: {
      code: 'invalid_request',
      message: `The sync request is invalid:\n${lines.join('\n')}`,
      details: issues.slice(0, MAX_DETAILS),
    },
  }
}

/**
 * zod's messages are written for developers and, for shared schemas, sometimes name the wrong thing (the
 * deviceId check says "uid must be a UUID"). Where the path tells us what the value is, say it plainly.
 */
function describeIssue(spec: OneToManySpec, body: object, issue: Issue): RequestIssue {
  const path = formatPath(issue.path)
  if (issue.code === 'unrecognized_keys') {
    // A hostile body may carry 100,000 keys or a megabyte-long one: name a few, shortened, and count the rest.
    const shown = issue.keys.slice(0, MAX_KEYS).map((k) => JSON.stringify(shorten(k)))
    const more = issue.keys.length > MAX_KEYS ? ` and ${issue.keys.length - MAX_KEYS} more` : ''
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${shown.join(', ')}${more}` }
  }
  const value = valueAt(body, issue.path)
  const key = issue.path.at(-1)
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    return { path, message: `${String(key ?? 'value')} is missing` }
  }
  if ((key === 'deviceId' || key === 'syncId') && issue.code !== 'custom') {
    return { path, message: `${key} must be a UUID` }
  }
  const [plural, list] = issue.path
  const entity =
    plural === spec.parent.plural ? spec.parent : plural === spec.child.plural ? spec.child : undefined
  if (
    entity &&
    key === 'id' &&
    Number.isInteger(value) &&
    (issue.code === 'too_big' || issue.code === 'too_small')
  ) {
    return list === 'added'
      ? { path, message: `an added ${entity.name} must have a negative local id, got ${String(value)}` }
      : {
          path,
          message: `a ${String(list)} ${entity.name} must carry its server id (a positive number), got ${String(value)}`,
        }
  }
  const field = entity && typeof key === 'string' ? entity.fields[key] : undefined
  if (field && issue.code === 'invalid_union') {
    return { path, message: `${field.label} must be text or null, got ${typeName(value)}` }
  }
  return { path, message: issue.message }
}

function valueAt(body: object, path: readonly PropertyKey[]): unknown {
  let value: unknown = body
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

const shorten = (key: string) => (key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS)}…` : key)

const typeName = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`

function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '(request)'
}

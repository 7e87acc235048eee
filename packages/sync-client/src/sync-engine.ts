import {
  requestChanges,
  responseParts,
  typedSyncSchemas,
  type OneToManySpec,
  type Rejection,
  type SyncResponse,
} from '@offline-sync/sync-protocol'
import { applyResponse } from './apply-response.ts'
import { keptOverwrites, type KeptOverwrite } from './overwrite-notices.ts'
import { collectChanges } from './collect-changes.ts'
import { readPending } from './pending-changes.ts'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { dropOutbox, namedProblems } from './mark-invalid.ts'
import { webSyncLock, type SyncLock } from './sync-lock.ts'
import { SyncFailure, type FailureKind, type Transport } from './transport.ts'

export type SyncTrigger =
  'manual' | 'startup' | 'online' | 'retry' | 'local-change' | 'resume' | 'periodic' | 'live' | 'background'

export interface SyncProgress {
  phase: 'collecting' | 'sending' | 'applying'
  done?: number
  total?: number
}

export interface SyncReport {
  /** Empty when the sync never got the lock ('busy'). */
  syncId: string
  trigger: SyncTrigger
  startedAt: string
  finishedAt: string
  outcome: 'synced' | 'busy' | 'failed'
  mode?: 'full' | 'delta'
  /** The server had already applied this syncId (a resend after a lost response) and answered from its receipt. */
  replayed?: boolean
  /** True when this attempt resent the outbox of an earlier one, unchanged. */
  resent?: boolean
  /** Sendable changes did not fit in one request (LIMITS): syncing again sends the rest. */
  more?: boolean
  sent: Record<string, { added: number; modified: number; deleted: number }>
  idMaps: Record<string, Record<string, number>>
  rejected: Rejection[]
  /** Rules M4, M5: values this sync's writes replaced ('mine') and this device's values replaced elsewhere ('theirs'). */
  overwrites?: KeptOverwrite[]
  received: Record<string, number>
  error?: { kind: FailureKind; message: string; retryable: boolean; retryAfterMs?: number }
  /** Each record the request carried, for a journal; absent on 'busy'. */
  sentRecords?: SentRecord[]
}

/** One record of a sent request. `label` is the entity's first declared field (a company's name), if known. */
export interface SentRecord {
  entity: string
  uid: string
  /** The id sent: negative for an add (the key of the id map). */
  id: number
  change: 'added' | 'modified' | 'deleted'
  label: string | null
}

export interface SyncEngineOptions {
  db: LocalDatabase
  spec: OneToManySpec
  transport: Transport
  /** Default: webSyncLock(`${db.name}:sync`), one sync per origin and database across tabs. */
  lock?: SyncLock
  /** Called synchronously; keep it cheap (during 'applying' it runs inside the IndexedDB transaction). */
  onProgress?: (p: SyncProgress) => void
  /**
   * Awaited after every sync that ran (not 'busy'), before `sync` resolves, e.g. to write a journal. Its errors
   * are swallowed: recording a sync must never turn it into a failure.
   */
  onSyncFinished?: (report: SyncReport) => void | Promise<void>
}

const schemaCache = new WeakMap<
  OneToManySpec,
  ReturnType<typeof typedSyncSchemas<OneToManySpec>>['response']
>()

/**
 * OnSync for one parent/child declaration. Port-driven: storage is the Dexie database, the server is `transport`,
 * mutual exclusion is `lock`. `sync` never triggers another sync; retries are the caller's decision (backoff.ts).
 */
export function createSyncEngine(opts: SyncEngineOptions): {
  /**
   * Collect → send → validate → replace/rebase. Never throws for sync failures: resolves a report with outcome
   * 'failed' and the error (the app decides on retry), or 'busy' when another sync holds the lock. Rejects only
   * when the local database itself fails (IndexedDB error, quota), leaving the local data as it was.
   */
  sync(trigger: SyncTrigger): Promise<SyncReport>
} {
  const { db, spec, transport } = opts
  const lock = opts.lock ?? webSyncLock(`${db.name}:sync`)
  const progress = (p: SyncProgress) => {
    try {
      opts.onProgress?.(p)
    } catch {
      // A broken progress bar must not abort the transaction it is called from.
    }
  }
  let responseSchema = schemaCache.get(spec)
  if (!responseSchema) schemaCache.set(spec, (responseSchema = typedSyncSchemas(spec).response))
  const schema = responseSchema

  async function run(trigger: SyncTrigger, startedAt: string): Promise<SyncReport> {
    // 1. Collect: resend the unanswered request unchanged, or build a new one and park it in the outbox.
    progress({ phase: 'collecting' })
    const { entry, resent, more } = await prepareOutbox(db, spec)
    const report = baseReport(spec, trigger, startedAt, entry, resent, more)
    report.sentRecords = await sentRecords(db, spec, entry)

    // 2. Send.
    progress({ phase: 'sending' })
    let body: unknown
    try {
      body = await transport(entry.request)
    } catch (err) {
      const failure =
        err instanceof SyncFailure ? err : new SyncFailure('network', errorMessage(err), { cause: err })
      return finish(report, await handleFailure(failure, entry))
    }

    // 3. Validate before touching anything local.
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      const where = first ? ` (${first.path.join('.') || 'body'}: ${first.message})` : ''
      return finish(
        report,
        new SyncFailure('invalid_response', `The server's answer is not a valid sync response${where}`),
      )
    }
    const response: SyncResponse<OneToManySpec> = parsed.data

    // 4. Replace (full) or upsert (delta), then rebase what changed meanwhile — one transaction.
    progress({ phase: 'applying', done: 0 })
    const applied = await applyResponse(db, spec, entry, response, (done, total) =>
      progress({ phase: 'applying', done, total }),
    )
    if (!applied)
      return finish(report, new SyncFailure('conflict', 'The outbox changed while this sync was running'))

    const parts = responseParts(spec, response)
    report.mode = parts.mode
    report.replayed = parts.replayed
    report.rejected = parts.rejected
    report.overwrites = keptOverwrites(response, report.startedAt)
    report.idMaps = { [spec.parent.name]: parts.parentIdMap, [spec.child.name]: parts.childIdMap }
    report.received = {
      [spec.parent.plural]: parts.parents.length,
      [spec.child.plural]: parts.children.length,
    }
    // The resent request predates the changes made since: tell the app there is more to send.
    if (resent) report.more = await hasSendable(db, spec)
    return finish(report)
  }

  /** Retryable failures keep the outbox (resent unchanged); a refused request is dropped, naming bad records. */
  async function handleFailure(failure: SyncFailure, entry: OutboxEntry): Promise<SyncFailure> {
    if (failure.kind === 'version_not_supported') {
      // Rule P3: this build cannot talk to the server; the changes stay pending for the updated app to send.
      await dropOutbox(db, spec, entry, [])
    } else if (failure.kind === 'bad_request') {
      await dropOutbox(db, spec, entry, namedProblems(spec, entry.request, failure.details))
    } else if (failure.kind === 'conflict') {
      // sync_id_reused: this syncId can never succeed; the changes go again under a new one.
      await dropOutbox(db, spec, entry, [])
    }
    return failure
  }

  return {
    async sync(trigger) {
      const startedAt = new Date().toISOString()
      const result = await lock(() => run(trigger, startedAt))
      if (result.ran) {
        try {
          await opts.onSyncFinished?.(result.value)
        } catch {
          // See onSyncFinished: the sync itself is done either way.
        }
        return result.value
      }
      return { ...emptyReport(spec, trigger, startedAt, ''), outcome: 'busy' }
    },
  }
}

async function prepareOutbox(
  db: LocalDatabase,
  spec: OneToManySpec,
): Promise<{ entry: OutboxEntry; resent: boolean; more: boolean }> {
  return db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    const existing = await db.outbox.get('current')
    // A request without changes writes nothing on the server (no receipt either), so an unanswered pull can be
    // rebuilt: changes made offline since then go now instead of waiting for the sync after.
    if (existing && hasChanges(spec, existing)) return { entry: existing, resent: true, more: false }
    const [deviceId, cursor, refresh] = await db.meta.bulkGet(['deviceId', 'cursor', 'refresh'])
    const collected = collectChanges(spec, {
      deviceId: await ensureDeviceId(db, deviceId?.value),
      syncId: crypto.randomUUID(),
      cursor: refresh?.value === true || typeof cursor?.value !== 'string' ? null : cursor.value,
      ...(await readPending(db, spec)),
    })
    await db.parents.bulkDelete(collected.garbage.parents)
    await db.children.bulkDelete(collected.garbage.children)
    const entry: OutboxEntry = {
      key: 'current',
      request: collected.request,
      sentRevs: collected.sentRevs,
      createdAt: new Date().toISOString(),
    }
    await db.outbox.put(entry)
    return { entry, resent: false, more: collected.more }
  })
}

/** The request's records with their labels; a delete carries only ids, so its label is read from the tombstone. */
async function sentRecords(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
): Promise<SentRecord[]> {
  const changes = requestChanges(spec, entry.request)
  const out: SentRecord[] = []
  for (const [entity, set] of [
    [spec.parent, changes.parents],
    [spec.child, changes.children],
  ] as const) {
    const labelField = Object.keys(entity.fields)[0] ?? 'uid'
    if (!set) continue
    const deleted = set.deleted ?? []
    const tombstones = deleted.length
      ? await db.tableOf(entity.name).bulkGet(deleted.map((r) => String(r.uid)))
      : []
    for (const change of ['added', 'modified', 'deleted'] as const) {
      ;(set[change] ?? []).forEach((record, i) => {
        const source: Record<string, unknown> | undefined = change === 'deleted' ? tombstones[i] : record
        const label = source?.[labelField]
        out.push({
          entity: entity.name,
          uid: String(record.uid),
          id: Number(record.id),
          change,
          label: typeof label === 'string' ? label : null,
        })
      })
    }
  }
  return out
}

function hasChanges(spec: OneToManySpec, entry: OutboxEntry): boolean {
  const { parents, children } = requestChanges(spec, entry.request)
  const lists = ['added', 'modified', 'deleted'] as const
  return [parents, children].some((set) => lists.some((list) => (set?.[list]?.length ?? 0) > 0))
}

/** Whether a new request built now would carry any change (same rules as collecting). */
async function hasSendable(db: LocalDatabase, spec: OneToManySpec): Promise<boolean> {
  const probe = collectChanges(spec, {
    deviceId: '',
    syncId: '',
    cursor: null,
    ...(await readPending(db, spec)),
  })
  return Object.keys(probe.sentRevs).length > 0
}

/** The populate hook creates it; this covers a meta row lost to a manual clear. */
async function ensureDeviceId(db: LocalDatabase, value: unknown): Promise<string> {
  if (typeof value === 'string' && value) return value
  const deviceId = crypto.randomUUID()
  await db.meta.put({ key: 'deviceId', value: deviceId })
  return deviceId
}

function emptyReport(
  spec: OneToManySpec,
  trigger: SyncTrigger,
  startedAt: string,
  syncId: string,
): SyncReport {
  const zero = () => ({ added: 0, modified: 0, deleted: 0 })
  return {
    syncId,
    trigger,
    startedAt,
    finishedAt: startedAt,
    outcome: 'synced',
    sent: { [spec.parent.plural]: zero(), [spec.child.plural]: zero() },
    idMaps: { [spec.parent.name]: {}, [spec.child.name]: {} },
    rejected: [],
    received: { [spec.parent.plural]: 0, [spec.child.plural]: 0 },
  }
}

function baseReport(
  spec: OneToManySpec,
  trigger: SyncTrigger,
  startedAt: string,
  entry: OutboxEntry,
  resent: boolean,
  more: boolean,
): SyncReport {
  const report = emptyReport(spec, trigger, startedAt, entry.request.syncId)
  const changes = requestChanges(spec, entry.request)
  for (const [plural, set] of [
    [spec.parent.plural, changes.parents],
    [spec.child.plural, changes.children],
  ] as const) {
    if (set)
      report.sent[plural] = {
        added: set.added.length,
        modified: set.modified.length,
        deleted: set.deleted.length,
      }
  }
  report.resent = resent
  report.more = more
  return report
}

function finish(report: SyncReport, failure?: SyncFailure): SyncReport {
  report.finishedAt = new Date().toISOString()
  if (!failure) return report
  report.outcome = 'failed'
  report.error = {
    kind: failure.kind,
    message: failure.message,
    retryable: failure.retryable,
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  }
  return report
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

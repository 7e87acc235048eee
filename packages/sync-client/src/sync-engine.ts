import {
  requestChanges,
  responseParts,
  typedSyncSchemas,
  type OneToManySpec,
  type Rejection,
  type SyncResponse,
} from '@offline-sync/sync-protocol'
import { applyResponse } from './apply-response.ts'
import { readDownload, type DownloadState } from './download-state.ts'
import { storePage } from './store-page.ts'
import { keptOverwrites, type KeptOverwrite } from './overwrite-notices.ts'
import { collectChanges } from './collect-changes.ts'
import { readPending } from './pending-changes.ts'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { dropOutbox, namedProblems } from './mark-invalid.ts'
import { webSyncLock, type SyncLock } from './sync-lock.ts'
import { SyncFailure, type FailureKind, type Transport } from './transport.ts'

export type SyncTrigger =
  'manual' | 'startup' | 'online' | 'retry' | 'local-change' | 'resume' | 'periodic' | 'live' | 'background'

/**
 * 'downloading': a full download in pages (rules G1–G9); `done` counts the records stored so far (from earlier,
 * interrupted syncs too) and `total` the download's (`page.total`). 'applying': a delta, `done` of `total` written.
 */
export interface SyncProgress {
  phase: 'collecting' | 'sending' | 'applying' | 'downloading'
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
  /**
   * Syncing again at once has work to do: sendable changes did not fit in one request (LIMITS), or a download in
   * pages just ended and its catch-up delta is owed (rule G5; the changes that waited go with it).
   */
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
  /** Called synchronously; keep it cheap (during 'applying' and 'downloading' it may run inside a transaction). */
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
  // Built on the first answer, not here: an app creates its engine while it starts, and building the schema is a
  // main-thread task of its own (tens of ms on a phone) that the first screen should not wait behind.
  const schema = {
    safeParse(body: unknown) {
      let built = schemaCache.get(spec)
      if (!built) schemaCache.set(spec, (built = typedSyncSchemas(spec).response))
      return built.safeParse(body)
    },
  }

  async function run(trigger: SyncTrigger, startedAt: string): Promise<SyncReport> {
    // 1. Collect: resend the unanswered request unchanged, ask for the next page of a download under way, or
    //    build a new request; it is parked in the outbox.
    progress({ phase: 'collecting' })
    const prepared = await prepareOutbox(db, spec)
    const { entry, resent, more } = prepared
    const report = baseReport(spec, trigger, startedAt, entry, resent, more)
    report.sentRecords = await sentRecords(db, spec, entry)
    let download: { stored: number; total: number; pages: number } | null = prepared.download
    let current = entry
    /** The answer to `current`, when its request went out ahead (a page, see askAhead). */
    let answer: ReturnType<typeof send> | undefined

    for (;;) {
      // 2. Send (a page's request may be under way already: see 5).
      progress(
        download
          ? { phase: 'downloading', done: download.stored, total: download.total }
          : { phase: 'sending' },
      )
      const sent = await (answer ?? send(current.request))
      if ('error' in sent) {
        const err = sent.error
        const failure =
          err instanceof SyncFailure ? err : new SyncFailure('network', errorMessage(err), { cause: err })
        return finish(report, await handleFailure(failure, current))
      }

      // 3. Validate before touching anything local.
      const parsed = schema.safeParse(sent.body)
      if (!parsed.success) {
        const first = parsed.error.issues[0]
        const where = first ? ` (${first.path.join('.') || 'body'}: ${first.message})` : ''
        return finish(
          report,
          new SyncFailure('invalid_response', `The server's answer is not a valid sync response${where}`),
        )
      }
      const response: SyncResponse<OneToManySpec> = parsed.data

      // A page with a next token: the next page is asked for now and this one stored meanwhile (askAhead).
      const ahead = askAhead(response, current)

      // 4. Delta: upsert and rebase in one transaction. Full: store the page (rules G1–G9), the cursor with the last.
      let stored: Awaited<ReturnType<typeof storePage>> = false
      if (response.mode === 'delta') {
        progress({ phase: 'applying', done: 0 })
        const applied = await applyResponse(db, spec, current, response, (done, total) =>
          progress({ phase: 'applying', done, total }),
        )
        if (!applied) return finish(report, outboxChanged())
      } else {
        stored = await storePage(db, spec, current, response, (done, total) =>
          progress({ phase: 'downloading', done, total }),
        )
        // The next page's answer, if asked for, is dropped: its request was never parked.
        if (!stored) return finish(report, outboxChanged())
      }

      record(report, response, current === entry)
      if (!stored || stored.next === null || !ahead) {
        // The resent request predates the changes made since: tell the app there is more to send. A download of
        // several pages ends at a snapshot older than now: its catch-up delta is owed at once (rule G5).
        if (resent) report.more = await hasSendable(db, spec)
        if (stored && stored.pages > 1) report.more = true
        return finish(report)
      }
      // 5. The next page: its own request, parked like any other, so a cut here resumes from it (rule G9); its
      //    answer (or failure) is the one already under way, handled as if it had been sent now.
      download = stored
      current = await park(db, ahead.entry)
      answer = ahead.answer
    }
  }

  /**
   * The request for the page after `response` (rule G4), sent at once and not parked yet; null after a delta or
   * the last page. A page request is a read (no changes, no receipt on the server), so sending it while the page
   * before it is stored changes nothing there; one ahead at most. Its answer is used only once it is parked
   * (run, step 5), and dropped if that page cannot be stored, so rules G9 and G11 hold as without it.
   */
  function askAhead(
    response: SyncResponse<OneToManySpec>,
    current: OutboxEntry,
  ): { entry: OutboxEntry; answer: ReturnType<typeof send> } | null {
    const token = response.mode === 'full' ? (responseParts(spec, response).page?.next ?? null) : null
    if (token === null) return null
    const entry = pageEntry(spec, current.request.deviceId, token)
    return { entry, answer: send(entry.request) }
  }

  /** The transport's answer or error as a value: a prefetched request may fail before anyone awaits it. */
  function send(request: OutboxEntry['request']): Promise<{ body: unknown } | { error: unknown }> {
    try {
      return transport(request).then(
        (body) => ({ body }),
        (error: unknown) => ({ error }),
      )
    } catch (error) {
      return Promise.resolve({ error })
    }
  }

  /** What an applied answer adds to the report: the first answer's outcome, and every page's records. */
  function record(report: SyncReport, response: SyncResponse<OneToManySpec>, first: boolean): void {
    const parts = responseParts(spec, response)
    report.mode = parts.mode
    report.received[spec.parent.plural] = (report.received[spec.parent.plural] ?? 0) + parts.parents.length
    report.received[spec.child.plural] = (report.received[spec.child.plural] ?? 0) + parts.children.length
    if (!first) return
    report.replayed = parts.replayed
    report.rejected = parts.rejected
    report.overwrites = keptOverwrites(response, report.startedAt)
    report.idMaps = { [spec.parent.name]: parts.parentIdMap, [spec.child.name]: parts.childIdMap }
  }

  /** Retryable failures keep the outbox (resent unchanged); a refused request is dropped, naming bad records. */
  async function handleFailure(failure: SyncFailure, entry: OutboxEntry): Promise<SyncFailure> {
    if (entry.request.page && (failure.kind === 'bad_request' || failure.kind === 'conflict')) {
      // A page token the server refuses (rule G4) can never succeed: the next sync starts a new download, which
      // keeps the pages stored so far until its own last page (rule G9).
      await db.transaction('rw', [db.outbox, db.meta], async () => {
        await db.outbox.delete('current')
        await db.meta.delete('download')
      })
    } else if (failure.kind === 'version_not_supported') {
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

function outboxChanged(): SyncFailure {
  return new SyncFailure('conflict', 'The outbox changed while this sync was running')
}

async function prepareOutbox(
  db: LocalDatabase,
  spec: OneToManySpec,
): Promise<{ entry: OutboxEntry; resent: boolean; more: boolean; download: DownloadState | null }> {
  return db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], async () => {
    const existing = await db.outbox.get('current')
    // A request without changes writes nothing on the server (no receipt either), so an unanswered pull can be
    // rebuilt: changes made offline since then go now instead of waiting for the sync after.
    if (existing && hasChanges(spec, existing))
      return { entry: existing, resent: true, more: false, download: null }
    // Rule G9: a download under way goes on from its last stored page; pending changes wait for its end.
    const download = await readDownload(db)
    if (download)
      return { entry: await parkPageRequest(db, spec, download.next), resent: false, more: false, download }
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
    return { entry, resent: false, more: collected.more, download: null }
  })
}

/**
 * Rule G4: the request for the page `token` of a download: no cursor and no changes (they wait for the end of the
 * download), parked in the outbox like any request so that its answer is stored only while it is current.
 */
async function parkPageRequest(db: LocalDatabase, spec: OneToManySpec, token: string): Promise<OutboxEntry> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const deviceId = await ensureDeviceId(db, (await db.meta.get('deviceId'))?.value)
    return park(db, pageEntry(spec, deviceId, token))
  })
}

/** The outbox entry of a page request (rule G11: its own syncId), not parked yet. */
function pageEntry(spec: OneToManySpec, deviceId: string, token: string): OutboxEntry {
  const { request } = collectChanges(spec, {
    deviceId,
    syncId: crypto.randomUUID(),
    cursor: null,
    parents: [],
    children: [],
  })
  return {
    key: 'current',
    request: { ...request, page: token },
    sentRevs: {},
    createdAt: new Date().toISOString(),
  }
}

async function park(db: LocalDatabase, entry: OutboxEntry): Promise<OutboxEntry> {
  await db.outbox.put(entry)
  return entry
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

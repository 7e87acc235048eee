import { Dexie, type DexieOptions, type Table } from 'dexie'
import type { FailureKind } from './transport.ts'
import type { SentRecord, SyncReport, SyncTrigger } from './sync-engine.ts'
import type { KeptOverwrite } from './overwrite-notices.ts'

/** What the user reads about one record of a sync. 'edited' is the engine's 'modified', in the user's word. */
export interface JournalRecord {
  entity: string
  uid: string
  label: string | null
  change: 'added' | 'edited' | 'deleted'
}

/** A local id the server replaced with its own on this sync. */
export interface JournalRemap {
  entity: string
  uid: string | null
  label: string | null
  localId: number
  serverId: number
}

export interface JournalRejection {
  entity: string
  uid: string
  id: number
  label: string | null
  code: string
  reason: string
}

/** A value replaced in a sync, as the journal keeps it: see KeptOverwrite (`key` finds the kept one). */
export type JournalOverwrite = Pick<
  KeptOverwrite,
  'key' | 'side' | 'entity' | 'uid' | 'field' | 'replaced' | 'written'
> & { label: string | null }

/**
 * One sync as recorded on the device. `outcome`: 'ok' (applied, nothing refused), 'rejected' (applied, but the
 * server refused some changes) or 'failed' (nothing applied; `error` says why).
 */
export interface JournalEntry {
  /** Insertion order; newest is highest. Assigned by the journal. */
  seq?: number
  syncId: string
  trigger: SyncTrigger
  startedAt: string
  finishedAt: string
  durationMs: number
  outcome: 'ok' | 'rejected' | 'failed'
  mode: 'full' | 'delta' | null
  resent: boolean
  replayed: boolean
  /** By entity plural: how many records of each change went. */
  sent: Record<string, { added: number; edited: number; deleted: number }>
  records: JournalRecord[]
  /** Records beyond `maxRecordsPerEntry`, counted but not listed, so one huge sync cannot fill the journal. */
  recordsLeftOut: number
  remaps: JournalRemap[]
  rejected: JournalRejection[]
  /** Rules M4, M5: values replaced in this sync (absent in entries written before protocol version 2). */
  overwrites?: JournalOverwrite[]
  /** By entity plural: how many records the server sent back. */
  received: Record<string, number>
  /** Request and response size, when the app measured them. */
  bytes: JournalBytes | null
  error: { kind: FailureKind; message: string } | null
}

/** A sync's size as the app measured it (the engine never sees the wire). */
export interface JournalBytes {
  /** The request's JSON. */
  sent: number
  /** The response's JSON, as the phone had to parse it. */
  received: number
  /** The response body as it crossed the network (compressed), when the platform reported it. */
  receivedOnWire?: number
}

export interface SyncJournalOptions {
  /** Entries kept; the oldest go first. Default 200. */
  maxEntries?: number
  /** Records listed per entry (the counts stay exact). Default 500. */
  maxRecordsPerEntry?: number
  /** For tests: fake-indexeddb's `indexedDB` and `IDBKeyRange`. */
  dexie?: DexieOptions
}

export interface SyncJournal {
  /** The Dexie database, for live queries (`entries` table, key `seq`). */
  readonly db: JournalDatabase
  /** Records a finished sync and drops the oldest entries beyond the bound. Resolves with the stored entry. */
  record(report: SyncReport, bytes?: JournalBytes): Promise<JournalEntry>
  /** Newest first. */
  list(limit?: number): Promise<JournalEntry[]>
  get(seq: number): Promise<JournalEntry | undefined>
  clear(): Promise<void>
}

export class JournalDatabase extends Dexie {
  readonly entries: Table<JournalEntry, number>

  constructor(name: string, options?: DexieOptions) {
    super(name, options)
    this.version(1).stores({ entries: '++seq' })
    this.entries = this.table('entries')
  }
}

/**
 * The device's sync journal, for any declaration (it keeps entity names as the engine reports them). It lives in
 * its own small database (`name`, e.g. `<local db name>-journal`), so it can be read, bounded or cleared without
 * touching the data, and its writes never lengthen the data's transactions.
 */
export function createSyncJournal(name: string, opts: SyncJournalOptions = {}): SyncJournal {
  const db = new JournalDatabase(name, opts.dexie)
  const maxEntries = opts.maxEntries ?? 200
  const maxRecords = opts.maxRecordsPerEntry ?? 500
  return {
    db,
    async record(report, bytes) {
      const entry = journalEntry(report, maxRecords, bytes)
      await db.transaction('rw', db.entries, async () => {
        entry.seq = await db.entries.add(entry)
        const excess = (await db.entries.count()) - maxEntries
        if (excess > 0) await db.entries.orderBy('seq').limit(excess).delete()
      })
      return entry
    },
    list: (limit = maxEntries) => db.entries.orderBy('seq').reverse().limit(limit).toArray(),
    get: (seq) => db.entries.get(seq),
    clear: () => db.entries.clear(),
  }
}

/** Pure: the journal's view of an engine report. */
export function journalEntry(report: SyncReport, maxRecords = Infinity, bytes?: JournalBytes): JournalEntry {
  const sentRecords: SentRecord[] = report.sentRecords ?? []
  const byId = new Map(sentRecords.map((r) => [`${r.entity}:${r.id}`, r]))
  const byUid = new Map(sentRecords.map((r) => [r.uid, r]))
  const remaps: JournalRemap[] = []
  for (const [entity, map] of Object.entries(report.idMaps)) {
    for (const [localId, serverId] of Object.entries(map)) {
      const sent = byId.get(`${entity}:${localId}`)
      remaps.push({
        entity,
        uid: sent?.uid ?? null,
        label: sent?.label ?? null,
        localId: Number(localId),
        serverId,
      })
    }
  }
  const sent: JournalEntry['sent'] = {}
  for (const [plural, c] of Object.entries(report.sent))
    sent[plural] = { added: c.added, edited: c.modified, deleted: c.deleted }
  const failed = report.outcome === 'failed'
  return {
    syncId: report.syncId,
    trigger: report.trigger,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationMs: Math.max(0, Date.parse(report.finishedAt) - Date.parse(report.startedAt)),
    outcome: failed ? 'failed' : report.rejected.length > 0 ? 'rejected' : 'ok',
    mode: report.mode ?? null,
    resent: report.resent ?? false,
    replayed: report.replayed ?? false,
    sent,
    records: sentRecords.slice(0, maxRecords).map((r) => ({
      entity: r.entity,
      uid: r.uid,
      label: r.label,
      change: r.change === 'modified' ? 'edited' : r.change,
    })),
    recordsLeftOut: Math.max(0, sentRecords.length - maxRecords),
    remaps,
    rejected: report.rejected.map((r) => ({
      entity: r.entity,
      uid: r.uid,
      id: r.id,
      label: byUid.get(r.uid)?.label ?? null,
      code: r.code,
      reason: r.reason,
    })),
    overwrites: (report.overwrites ?? []).map((o) => ({
      key: o.key,
      side: o.side,
      entity: o.entity,
      uid: o.uid,
      field: o.field,
      replaced: o.replaced,
      written: o.written,
      label: byUid.get(o.uid)?.label ?? null,
    })),
    received: { ...report.received },
    bytes: bytes ?? null,
    error: report.error ? { kind: report.error.kind, message: report.error.message } : null,
  }
}

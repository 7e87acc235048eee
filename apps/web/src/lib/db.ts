// Zod must run jitless before anything parses (see configure-zod.ts); this sets it without loading zod.
import './configure-zod.ts'
import { companiesContacts, type FieldValues } from '@offline-sync/sync-protocol'
import {
  createLocalDatabase,
  createLocalQueries,
  createLocalWrites,
  type LocalRecord,
} from '@offline-sync/sync-client'
import { openedDatabaseName, readStoredAccount, type Account } from './account/stored-account.ts'
import { announceLocalWrite } from './sync/local-write-signal.ts'
import { yieldToMain } from './yield-to-main.ts'

/** The app's data declaration: labels and limits for forms, the same the server checks. */
export const spec = companiesContacts

function openAccount(): Account {
  const stored = readStoredAccount()
  // main.tsx stores the account before it loads the app; opening some other database here could mix two people's work.
  if (!stored) throw new Error('lib/db.ts was loaded before an account was chosen (see main.tsx)')
  return stored
}

/**
 * The account whose local data this page opened, fixed for the page's life: switching account stores the other
 * one and reloads.
 */
export const account: Account = openAccount()

/** The IndexedDB database of this account (Dexie). Everything the UI shows is read from here. */
// Normally the account's own database; the pre-accounts one while carrying it over fails (adoptOrFallBack).
export const db = createLocalDatabase(spec, openedDatabaseName(account))

/*
 * This module is evaluated with every module of the app (one chunk, app-modules): on a slow phone that is one task
 * of well over 50 ms, of which declaring the database's four schema versions is about half. Yielding here ends that
 * task: the modules after this one (the screens, the journal's database) are evaluated in the next one.
 */
await yieldToMain()

/**
 * Local writes keep the sync flags right. Each is one Dexie transaction; they reject with LocalValidationError
 * (per-field messages, nothing written) or LocalRecordNotFoundError.
 */
export const writes = announcingWrites(createLocalWrites(db, spec))

/**
 * The writes that leave a change to send announce it once committed (the automatic sync's "after my changes");
 * discarding a change leaves nothing to send.
 */
function announcingWrites(inner: ReturnType<typeof createLocalWrites>): ReturnType<typeof createLocalWrites> {
  return {
    ...inner,
    create: async (entity, fields) => {
      const record = await inner.create(entity, fields)
      announceLocalWrite()
      return record
    },
    update: async (entity, uid, patch) => {
      const record = await inner.update(entity, uid, patch)
      announceLocalWrite()
      return record
    },
    remove: async (entity, uid) => {
      await inner.remove(entity, uid)
      announceLocalWrite()
    },
  }
}

/** A company as stored on the device: its fields, ids and sync flags. */
export type LocalCompany = LocalRecord & FieldValues<typeof spec.parent>
/** A contact as stored on the device: its fields, its company's id (negative until that syncs) and sync flags. */
export type LocalContact = LocalRecord & FieldValues<typeof spec.child> & { companyId: number }

export type AttentionItem =
  { entity: 'company'; record: LocalCompany } | { entity: 'contact'; record: LocalContact }

const raw = createLocalQueries(db, spec)

/**
 * Read-only queries for the UI, typed for Company/Contact. Wrap them in useLiveQuery so screens update when the
 * data changes (local writes or a sync). None of them writes, so all are safe in a live query.
 */
export const queries = {
  /** Active companies in name order; `search` matches the start of the name, case-insensitively (an index range). */
  listParents: (opts: { search?: string; offset?: number; limit?: number }) =>
    raw.listParents(opts) as Promise<LocalCompany[]>,
  countParents: (opts: { search?: string }) => raw.countParents(opts),
  /** A company by uid, in any state (a local delete shows as isActive: false). */
  getParent: (uid: string) => raw.getParent(uid) as Promise<LocalCompany | undefined>,
  /** A company by its current id (server id, or negative before its first sync). */
  getParentById: async (id: number) => {
    const record = await db.parents.where('id').equals(id).first()
    return record === undefined ? undefined : ((await raw.getParent(record.uid)) as LocalCompany | undefined)
  },
  getChild: (uid: string) => raw.getChild(uid) as Promise<LocalContact | undefined>,
  /** Active contacts of a company, by name. */
  listChildren: (companyId: number) => raw.listChildren(companyId) as Promise<LocalContact[]>,
  /** Records whose change the server does not have yet (refused ones included). */
  pendingCount: () => raw.pendingCount(),
  /** Records whose last change the server refused. */
  needsAttention: () => raw.needsAttention() as Promise<AttentionItem[]>,
  syncState: () => raw.syncState(),
}

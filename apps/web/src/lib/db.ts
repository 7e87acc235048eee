import { companiesContacts, type FieldValues } from '@offline-sync/protocol'
import {
  createLocalDatabase,
  createLocalQueries,
  createLocalWrites,
  type LocalRecord,
} from '@offline-sync/client-engine'

/** The app's data declaration: labels and limits for forms, the same the server checks. */
export const spec = companiesContacts

/** The one IndexedDB database of the app (Dexie). Everything the UI shows is read from here. */
export const db = createLocalDatabase(spec)

/**
 * Local writes keep the sync flags right. Each is one Dexie transaction; they reject with LocalValidationError
 * (per-field messages, nothing written) or LocalRecordNotFoundError.
 */
export const writes = createLocalWrites(db, spec)

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
  /** Active companies in name order; `search` matches any field, case-insensitively. */
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

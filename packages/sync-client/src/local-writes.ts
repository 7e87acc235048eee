import { checkRecord, type EntitySpec, type OneToManySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase, LocalRecord } from './local-database.ts'
import { fromStored, sortFieldOf, toStored, type StoredRecord } from './stored-record.ts'
import { created, deleted, edited, retried, reverted } from './record-states.ts'
import { currentParentId } from './acknowledged-ids.ts'

/** A local write was refused: `fieldErrors` maps a field to the same message the server would give. */
export class LocalValidationError extends Error {
  override readonly name = 'LocalValidationError'
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join('; '))
  }
}

/** update/remove target a record that does not exist here (or is already deleted). */
export class LocalRecordNotFoundError extends Error {
  override readonly name = 'LocalRecordNotFoundError'
  constructor(entity: string, uid: string) {
    super(`${entity} ${uid} does not exist on this device`)
  }
}

/**
 * Every local write, each in ONE Dexie transaction over both tables, the outbox and meta, so the sync flags, the
 * derived index keys and the negative-id counter can never be seen half-updated. Each write bumps `rev` and clears
 * `syncError` of the records it touches. Rejects with LocalValidationError (nothing written) when fields are
 * invalid, with LocalRecordNotFoundError when `update` targets a missing or deleted record, or with a Dexie error.
 */
export function createLocalWrites(db: LocalDatabase, spec: OneToManySpec) {
  const { parent, child } = spec
  const parentKey = child.parentKey
  const sortFields = { [parent.name]: sortFieldOf(parent), [child.name]: sortFieldOf(child) }
  const store = (entity: string, record: LocalRecord) => toStored(record, sortFields[entity] as string)
  const entitySpec = (entity: string): EntitySpec => (entity === parent.name ? parent : child)
  const tx = <T>(fn: () => Promise<T>) =>
    db.transaction('rw', [db.parents, db.children, db.outbox, db.meta], fn)

  /**
   * A child's parent must be an active local record; checked inside the write's transaction. A former local id of
   * a parent the server has since acknowledged names that parent under its server id (acknowledged-ids.ts).
   * Resolves the id to store, or the message of the error.
   */
  async function checkParentRef(value: unknown): Promise<{ id: number } | { error: string }> {
    if (typeof value !== 'number' || !Number.isInteger(value) || value === 0)
      return { error: `Choose a ${parent.name}` }
    const id = await currentParentId(db, value)
    const found = await db.parents.where('id').equals(id).first()
    return found?.isActive ? { id } : { error: `The ${parent.name} no longer exists` }
  }

  /** Uids of the in-flight request: a record among them has to stay as a tombstone when deleted (see remove). */
  async function inFlight(): Promise<Record<string, number>> {
    return (await db.outbox.get('current'))?.sentRevs ?? {}
  }

  /**
   * A delete. A record the server has (or may have: it is in the in-flight request, whose answer will give it a
   * server id) becomes a tombstone that the next sync sends; anything else is simply removed.
   */
  function deleteOne(
    record: StoredRecord,
    sent: Record<string, number>,
    puts: StoredRecord[],
    drops: string[],
  ) {
    if (record.isFromServer || sent[record.uid] !== undefined) {
      puts.push(deleted(record))
    } else drops.push(record.uid)
  }

  /** Undoes the local change of a server record; the next sync is full, so it brings back the server's values. */
  function revertOne(record: StoredRecord): StoredRecord {
    return reverted(record)
  }

  return {
    async create(entity: string, fields: Record<string, unknown>): Promise<LocalRecord> {
      const table = db.tableOf(entity)
      const values = declaredValues(entitySpec(entity), fields)
      const errors = checkRecord(entitySpec(entity), values)
      return tx(async () => {
        if (entity === child.name) {
          const ref = await checkParentRef(fields[parentKey])
          if ('error' in ref) errors[parentKey] = ref.error
          values[parentKey] = 'id' in ref ? ref.id : fields[parentKey]
        }
        if (Object.keys(errors).length > 0) throw new LocalValidationError(errors)
        const id = await takeLocalId(db)
        const record: LocalRecord = { ...values, uid: crypto.randomUUID(), ...created(id) }
        await table.add(store(entity, record))
        return record
      })
    },

    /**
     * Many adds of one entity in ONE transaction (an import): the same checks, flags and negative ids as `create`,
     * all or nothing. Every record is checked first; if any is invalid nothing is written and the rejection is a
     * LocalValidationError for the first invalid one, its index in `fieldErrors._index`. Children's parents are
     * checked with one query. Returns the records in input order.
     */
    async createMany(entity: string, list: readonly Record<string, unknown>[]): Promise<LocalRecord[]> {
      const table = db.tableOf(entity)
      const spec = entitySpec(entity)
      const values = list.map((fields) => declaredValues(spec, fields))
      return tx(async () => {
        let activeParents = new Set<number>()
        // Former local ids of parents acknowledged since the caller read them → their server ids.
        const current = new Map<number, number>()
        if (entity === child.name) {
          for (const fields of list) {
            const ref = fields[parentKey]
            if (typeof ref === 'number' && ref < 0) current.set(ref, await currentParentId(db, ref))
          }
          const refs = [...new Set(list.map((f) => f[parentKey]).filter((v) => typeof v === 'number'))]
          const found = await db.parents
            .where('id')
            .anyOf((refs as number[]).map((ref) => current.get(ref) ?? ref))
            .toArray()
          activeParents = new Set(found.filter((p) => p.isActive).map((p) => p.id))
        }
        for (let i = 0; i < values.length; i++) {
          const errors = checkRecord(spec, values[i] as Record<string, unknown>)
          if (entity === child.name) {
            const given = list[i]?.[parentKey]
            const ref = typeof given === 'number' ? (current.get(given) ?? given) : given
            if (typeof ref !== 'number' || !Number.isInteger(ref) || ref === 0)
              errors[parentKey] = `Choose a ${parent.name}`
            else if (!activeParents.has(ref)) errors[parentKey] = `The ${parent.name} no longer exists`
            ;(values[i] as Record<string, unknown>)[parentKey] = ref
          }
          if (Object.keys(errors).length > 0) throw new LocalValidationError({ ...errors, _index: String(i) })
        }
        // One read and one write of the counter for the whole list: ids first, first .. first - n + 1.
        const counter = await db.meta.get('nextLocalId')
        const first = typeof counter?.value === 'number' ? counter.value : -1
        await db.meta.put({ key: 'nextLocalId', value: first - values.length })
        const records: LocalRecord[] = values.map((v, i) => ({
          ...v,
          uid: crypto.randomUUID(),
          id: first - i,
          isFromServer: false,
          isModified: false,
          isActive: true,
          rev: 1,
          syncError: null,
        }))
        await table.bulkAdd(records.map((r) => store(entity, r)))
        return records
      })
    },

    async update(entity: string, uid: string, patch: Record<string, unknown>): Promise<LocalRecord> {
      const table = db.tableOf(entity)
      const spec = entitySpec(entity)
      const changes = declaredValues(spec, patch, { onlyPresent: true })
      return tx(async () => {
        const existing = await table.get(uid)
        if (!existing?.isActive) throw new LocalRecordNotFoundError(entity, uid)
        const errors = checkRecord(spec, { ...existing, ...changes })
        if (entity === child.name && parentKey in patch && patch[parentKey] !== existing[parentKey]) {
          const ref = await checkParentRef(patch[parentKey])
          if ('error' in ref) errors[parentKey] = ref.error
          changes[parentKey] = 'id' in ref ? ref.id : patch[parentKey]
        }
        if (Object.keys(errors).length > 0) throw new LocalValidationError(errors)
        // Editing an add keeps it an add; editing a server record makes it "modified", with the fields changed since
        // its base (rule M1).
        const record = fromStored({
          ...edited(existing, changes),
          ...(existing.isFromServer ? { changed: changedSinceBase(existing, changes) } : {}),
        })
        await table.put(store(entity, record))
        if (entity === parent.name && !existing.isFromServer) {
          // Children refused because this add was refused go again once it is fixed, without an edit each.
          const waiting = await db.children.where(parentKey).equals(existing.id).toArray()
          const retry = waiting.filter((c) => c.syncError?.code === 'parent_not_found')
          await db.children.bulkPut(retry.map((c) => store(child.name, retried(c))))
        }
        return record
      })
    },

    async remove(entity: string, uid: string): Promise<void> {
      const table = db.tableOf(entity)
      await tx(async () => {
        const record = await table.get(uid)
        if (!record?.isActive) return // already deleted: removing twice is harmless
        const sent = await inFlight()
        const puts: StoredRecord[] = []
        const drops: string[] = []
        deleteOne(record, sent, puts, drops)
        await table.bulkPut(puts.map((r) => store(entity, r)))
        await table.bulkDelete(drops)
        if (entity === parent.name) {
          // Children go with their parent, each by the same rule (the server cascades too).
          const kids = await db.children.where(parentKey).equals(record.id).toArray()
          const kidPuts: StoredRecord[] = []
          const kidDrops: string[] = []
          for (const kid of kids) if (kid.isActive) deleteOne(kid, sent, kidPuts, kidDrops)
          await db.children.bulkPut(kidPuts.map((r) => store(child.name, r)))
          await db.children.bulkDelete(kidDrops)
        }
      })
    },

    /**
     * Drop a refused/pending local change: a never-synced record is deleted (with its never-synced children; a
     * tombstone is kept if it is in flight); a server record is restored on next sync (the next sync is a full
     * one); a server record the server no longer has (`not_found`) is deleted here.
     */
    async discard(entity: string, uid: string): Promise<void> {
      const table = db.tableOf(entity)
      await tx(async () => {
        const record = await table.get(uid)
        if (!record) return
        const sent = await inFlight()
        const isParent = entity === parent.name
        const kids = isParent ? await db.children.where(parentKey).equals(record.id).toArray() : []
        const puts: StoredRecord[] = []
        const drops: string[] = []
        const kidPuts: StoredRecord[] = []
        const kidDrops: string[] = []
        let refresh = false
        if (!record.isFromServer) {
          if (!record.isActive) return // an in-flight add already deleted here: its delete follows by itself
          deleteOne(record, sent, puts, drops)
          for (const kid of kids) {
            if (!kid.isActive) continue
            if (!kid.isFromServer) deleteOne(kid, sent, kidPuts, kidDrops)
            else {
              // A server child moved under this new parent: undo the move rather than delete it on the server.
              kidPuts.push(revertOne(kid))
              refresh = true
            }
          }
        } else if (record.syncError?.code === 'not_found') {
          drops.push(record.uid)
          kidDrops.push(...kids.map((k) => k.uid))
        } else {
          puts.push(revertOne(record))
          refresh = true
          if (!record.isActive)
            kidPuts.push(...kids.filter((k) => !k.isActive && k.isFromServer).map(revertOne))
        }
        await table.bulkPut(puts.map((r) => store(entity, r)))
        await table.bulkDelete(drops)
        await db.children.bulkPut(kidPuts.map((r) => store(child.name, r)))
        await db.children.bulkDelete(kidDrops)
        if (refresh) await db.meta.put({ key: 'refresh', value: true })
      })
    },
  }
}

/** The next negative id (one counter for both tables). Call inside a rw transaction that includes `meta`. */
export async function takeLocalId(db: LocalDatabase): Promise<number> {
  const counter = await db.meta.get('nextLocalId')
  const id = typeof counter?.value === 'number' ? counter.value : -1
  await db.meta.put({ key: 'nextLocalId', value: id - 1 })
  return id
}

/** Declared fields only (unknown ones are stripped); "" and undefined become null, as on the server. */
export function declaredValues(
  entity: EntitySpec,
  input: Record<string, unknown>,
  opts: { onlyPresent?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(entity.fields)) {
    if (opts.onlyPresent && !(name in input)) continue
    const value = input[name]
    out[name] = value === undefined || value === '' ? null : value
  }
  return out
}

/**
 * Rule M1: the fields changed since the record's base, this edit's included. A record not modified yet starts
 * from none; one an older build edited (no list) stays "all fields", since what it changed is unknown.
 */
function changedSinceBase(existing: LocalRecord, changes: Record<string, unknown>): string[] | undefined {
  if (existing.isModified && !Array.isArray(existing.changed)) return undefined
  const before = existing.isModified ? (existing.changed as string[]) : []
  const now = Object.keys(changes).filter((f) => (existing[f] ?? null) !== (changes[f] ?? null))
  return [...new Set([...before, ...now])]
}

import type { EntitySpec, OneToManySpec } from './declaration.ts'
import type { RejectionCode } from './codes.ts'
import type { IdMapKey } from './wire-shapes.ts'

/** Declared fields of an entity; `null` means not set. */
export type FieldValues<E extends EntitySpec> = { -readonly [K in keyof E['fields']]: string | null }

/** A parent record as sent on the wire. `id` is negative until the server has assigned one. */
export type ParentRecord<S extends OneToManySpec> = { id: number; uid: string } & FieldValues<S['parent']>

/** A child record as sent on the wire; its parent key holds a server id or a negative local parent id. */
export type ChildRecord<S extends OneToManySpec> = { id: number; uid: string } & FieldValues<S['child']> & {
    [K in S['child']['parentKey']]: number
  }

/** A type, not an interface, so that it reads as a Record<string, unknown> where loose records are expected. */
export type RecordRef = {
  id: number
  uid: string
}

/** Rule M2: the server version the device last saw of the record it modifies or deletes. */
export interface Based {
  base: string
}

export interface ChangeSet<R> {
  /** New records: negative local ids, fresh uids. */
  added: R[]
  /** Records the server already has: id, uid, base and only the fields changed since base (rule M1). */
  modified: (RecordRef & Based & Partial<Omit<R, 'id' | 'uid'>>)[]
  deleted: (RecordRef & Based)[]
}

/**
 * A value replaced by a later write to the same field (rules M3–M6). In `overwrites` (to the writer): `written`
 * is this device's value, `replaced` the one `byDevice` had written after this device's base. In `overwritten`
 * (to the device whose value went): `replaced` is its own value, `written` the one `byDevice` wrote.
 * `field: null` is a delete against an edit (rule M7): `replaced` is the record's label, `written` null.
 */
export interface Overwrite {
  entity: string
  id: number
  uid: string
  field: string | null
  replaced: string | number | null
  written: string | number | null
  byDevice: string | null
  /** The change cursor of the replacing write. */
  version: string
}

/** Bookkeeping the server adds to every record it returns. */
export interface ServerMeta {
  createdAt: string
  updatedAt: string
  /** The change cursor value of the record's last write. */
  version: string
  isFromServer: true
  isModified: false
  isActive: true
}

export type SyncRequest<S extends OneToManySpec> = {
  protocolVersion: number
  deviceId: string
  syncId: string
  cursor?: string | null
  /** Rule G4: the `page.next` token of the previous page of a full download; absent on its first page. */
  page?: string | null
} & { [K in S['parent']['plural']]: ChangeSet<ParentRecord<S>> } & {
  [K in S['child']['plural']]: ChangeSet<ChildRecord<S>>
}

export interface Rejection {
  entity: string
  /** The id the device sent (negative for a rejected add). */
  id: number
  uid: string
  code: RejectionCode
  /** A sentence for the person holding the phone. */
  reason: string
}

/** Local id (as a string, since JSON keys are strings) → server id. */
export type IdMap = Record<string, number>

export type SyncResponse<S extends OneToManySpec> = {
  mode: 'full' | 'delta'
  cursor: string
  /** True when this syncId had already been applied: nothing was written again. */
  replayed: boolean
  removed: { [K in S['parent']['plural'] | S['child']['plural']]: number[] }
  rejected: Rejection[]
  overwrites: Overwrite[]
  overwritten: Overwrite[]
  /** Rule G1: a full read's place in its download; null in delta mode. */
  page: PageInfo<S> | null
  /** Rule G7: records this sync wrote that the device already holds, acknowledged without their fields. */
  written: { [K in S['parent']['plural'] | S['child']['plural']]: WriteAck[] }
} & { [K in S['parent']['plural']]: (ParentRecord<S> & ServerMeta)[] } & {
  [K in S['child']['plural']]: (ChildRecord<S> & ServerMeta)[]
} & { [K in IdMapKey<S['parent']['name']> | IdMapKey<S['child']['name']>]: IdMap }

/** Rule G1: where a page stands in its full download. */
export type PageInfo<S extends OneToManySpec> = {
  /** The token to send as `page` for the next page; null when this was the last page. */
  next: string | null
  /** How many records the whole download holds (the snapshot's rows), for a progress bar. */
  total: { [K in S['parent']['plural'] | S['child']['plural']]: number }
}

/** Rule G7: a record this sync wrote, acknowledged by its server meta only (the device holds its fields). */
export interface WriteAck {
  id: number
  uid: string
  createdAt: string
  updatedAt: string
  version: string
}

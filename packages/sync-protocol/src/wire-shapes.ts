import type { OneToManySpec } from './declaration.ts'
import type { IdMap, Overwrite, Rejection, RecordRef, SyncRequest, SyncResponse, WriteAck } from './types.ts'

/**
 * The engines work on a declaration at run time, so inside them a message is read by role (parents, children)
 * rather than by the declaration's plurals. These functions are the one typed crossing between the two views;
 * the casts they need live here and nowhere else.
 */

/** The key of an entity's id map in a response: `companyIdMap` for `company`. */
export type IdMapKey<N extends string> = `${N}IdMap`

export function idMapKey<N extends string>(name: N): IdMapKey<N> {
  return `${name}IdMap`
}

/** A record of any declaration on the wire: its id, uid and declared fields (server records: and their meta). */
export type AnyRecord = { id: number; uid: string } & Record<string, unknown>

export interface AnyChangeSet {
  added: AnyRecord[]
  modified: AnyRecord[]
  deleted: RecordRef[]
}

/** A request of any declaration: the envelope fields, and the change sets under the declaration's plurals. */
export type AnyRequest = {
  deviceId: string
  syncId: string
  cursor?: string | null
  page?: string | null
} & Record<string, unknown>

/** A response read by role. */
export interface ResponseParts {
  mode: 'full' | 'delta'
  cursor: string
  replayed: boolean
  parents: AnyRecord[]
  children: AnyRecord[]
  removed: { parents: number[]; children: number[] }
  parentIdMap: IdMap
  childIdMap: IdMap
  rejected: Rejection[]
  /** Values this request's writes replaced (rule M4). */
  overwrites: Overwrite[]
  /** Values of this device's that others replaced since its last sync (rule M5). */
  overwritten: Overwrite[]
  /** A full read's place in its download (rule G1); null in delta mode. */
  page: { next: string | null; total: { parents: number; children: number } } | null
  /** This sync's writes the device already holds (rule G7). */
  written: { parents: WriteAck[]; children: WriteAck[] }
}

/** The change sets of a request by role; undefined for a set the request lacks (a stored, older request). */
export function requestChanges(
  spec: OneToManySpec,
  request: AnyRequest | SyncRequest<OneToManySpec>,
): { parents: AnyChangeSet | undefined; children: AnyChangeSet | undefined } {
  const loose = request as AnyRequest
  return {
    parents: loose[spec.parent.plural] as AnyChangeSet | undefined,
    children: loose[spec.child.plural] as AnyChangeSet | undefined,
  }
}

/** A typed request as the loose shape the engines and the transport carry. */
export function toAnyRequest<S extends OneToManySpec>(request: SyncRequest<S>): AnyRequest {
  return request as AnyRequest
}

/** A validated response (syncSchemas(spec).response) read by role. */
export function responseParts<S extends OneToManySpec>(spec: S, response: SyncResponse<S>): ResponseParts {
  const loose = response as unknown as Record<string, unknown>
  const removed = response.removed as Record<string, number[]>
  return {
    mode: response.mode,
    cursor: response.cursor,
    replayed: response.replayed,
    parents: loose[spec.parent.plural] as AnyRecord[],
    children: loose[spec.child.plural] as AnyRecord[],
    removed: { parents: removed[spec.parent.plural] ?? [], children: removed[spec.child.plural] ?? [] },
    parentIdMap: loose[idMapKey(spec.parent.name)] as IdMap,
    childIdMap: loose[idMapKey(spec.child.name)] as IdMap,
    rejected: response.rejected,
    overwrites: response.overwrites,
    overwritten: response.overwritten,
    page: response.page
      ? {
          next: response.page.next,
          total: {
            parents: (response.page.total as Record<string, number>)[spec.parent.plural] ?? 0,
            children: (response.page.total as Record<string, number>)[spec.child.plural] ?? 0,
          },
        }
      : null,
    written: {
      parents: (response.written as Record<string, WriteAck[]>)[spec.parent.plural] ?? [],
      children: (response.written as Record<string, WriteAck[]>)[spec.child.plural] ?? [],
    },
  }
}

/** The response of the declaration `spec`, built from its parts by role (the server's answer). */
export function buildResponse<S extends OneToManySpec>(
  spec: S,
  parts: Omit<ResponseParts, 'parents' | 'children'> & {
    // Rows as read back from SQL: the schema, not this type, vouches for their id and uid.
    parents: Record<string, unknown>[]
    children: Record<string, unknown>[]
  },
): SyncResponse<S> {
  const { parent, child } = spec
  const response: Record<string, unknown> = {
    mode: parts.mode,
    cursor: parts.cursor,
    replayed: parts.replayed,
    [parent.plural]: parts.parents,
    [child.plural]: parts.children,
    removed: { [parent.plural]: parts.removed.parents, [child.plural]: parts.removed.children },
    [idMapKey(parent.name)]: parts.parentIdMap,
    [idMapKey(child.name)]: parts.childIdMap,
    rejected: parts.rejected,
    overwrites: parts.overwrites,
    overwritten: parts.overwritten,
    page: parts.page
      ? {
          next: parts.page.next,
          total: { [parent.plural]: parts.page.total.parents, [child.plural]: parts.page.total.children },
        }
      : null,
    written: { [parent.plural]: parts.written.parents, [child.plural]: parts.written.children },
  }
  return response as SyncResponse<S>
}

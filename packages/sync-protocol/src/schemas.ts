import { z } from 'zod'
import type { ChildSpec, EntitySpec, FieldSpec, OneToManySpec } from './declaration.ts'
import { checkField } from './field-rules.ts'
import { PROTOCOL_VERSION, REJECTION_CODES } from './codes.ts'
import { idMapKey } from './wire-shapes.ts'
import type { SyncRequest, SyncResponse } from './types.ts'

const MAX_ID = 2_147_483_647 // Postgres int4: ids outside it can only be forged.

const fieldSchema = (spec: FieldSpec) =>
  z
    .union([z.string(), z.null()])
    .optional()
    .superRefine((value, ctx) => {
      const message = checkField(spec, value)
      if (message) ctx.addIssue({ code: 'custom', message })
    })
    .transform((value) => (value === undefined || value === '' ? null : value))

/**
 * A modified record's field (rule M1): absent = not changed by this device, so the server keeps its value.
 * Present fields pass the same checks as in an added record; "" is sent as null.
 */
const changedFieldSchema = (spec: FieldSpec) =>
  z
    .union([z.string(), z.null()])
    .superRefine((value, ctx) => {
      const message = checkField(spec, value)
      if (message) ctx.addIssue({ code: 'custom', message })
    })
    .transform((value) => (value === '' ? null : value))
    .optional()

/** Rule M2: the server `version` of the record as the device last received it. */
const base = z.string().regex(/^\d{1,19}$/, 'base must be a version the server returned for this record')

const localId = z.int().min(-MAX_ID).max(-1)
const serverId = z.int().min(1).max(MAX_ID)
const anyId = z
  .int()
  .min(-MAX_ID)
  .max(MAX_ID)
  .refine((id) => id !== 0, 'id must not be 0')
const uid = z.uuid({ message: 'uid must be a UUID' })

function recordShape(entity: EntitySpec) {
  return Object.fromEntries(Object.entries(entity.fields).map(([name, spec]) => [name, fieldSchema(spec)]))
}

function changedShape(entity: EntitySpec) {
  return Object.fromEntries(
    Object.entries(entity.fields).map(([name, spec]) => [name, changedFieldSchema(spec)]),
  )
}

function changeSetSchema(entity: EntitySpec, parentKey?: string) {
  const fields = recordShape(entity)
  const parent = parentKey ? { [parentKey]: anyId } : {}
  return z.strictObject({
    added: z.array(z.strictObject({ id: localId, uid, ...fields, ...parent })),
    modified: z.array(
      z.strictObject({
        id: serverId,
        uid,
        base,
        ...changedShape(entity),
        ...(parentKey ? { [parentKey]: anyId.optional() } : {}),
      }),
    ),
    deleted: z.array(z.strictObject({ id: serverId, uid, base })),
  })
}

interface LooseChangeSet {
  added: { id: number; uid: string; [k: string]: unknown }[]
  modified: { id: number; uid: string; [k: string]: unknown }[]
  deleted: { id: number; uid: string }[]
}

/** Same id or uid twice in one entity's change set is ambiguous: which one wins? Refuse it. */
function checkUnique(entity: EntitySpec, set: LooseChangeSet, ctx: z.RefinementCtx) {
  const ids = new Map<number, string>()
  const uids = new Map<string, string>()
  for (const list of ['added', 'modified', 'deleted'] as const) {
    set[list].forEach((record, index) => {
      const path = [entity.plural, list, index]
      const seenId = ids.get(record.id)
      if (seenId)
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'id'],
          message: `${entity.name} id ${record.id} appears twice (also in ${seenId})`,
        })
      ids.set(record.id, `${list}[${index}]`)
      const key = record.uid.toLowerCase()
      const seenUid = uids.get(key)
      if (seenUid)
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'uid'],
          message: `${entity.name} uid ${record.uid} appears twice (also in ${seenUid})`,
        })
      uids.set(key, `${list}[${index}]`)
    })
  }
}

/**
 * Zod schemas for every wire message of a parent/child declaration. Each is built on first use: building a zod
 * schema costs main-thread time, and the device needs only the response's (the request's is the server's, and its
 * per-field checks are most of that cost: about two thirds of the schemas' time on the app's first sync).
 */
export function syncSchemas(spec: OneToManySpec) {
  let request: ReturnType<typeof requestSchema> | undefined
  let response: ReturnType<typeof responseSchema> | undefined
  return {
    get request() {
      return (request ??= requestSchema(spec))
    },
    get response() {
      return (response ??= responseSchema(spec))
    },
  }
}

function requestSchema(spec: OneToManySpec) {
  const { parent, child } = spec
  const parents = changeSetSchema(parent)
  const children = changeSetSchema(child, child.parentKey)

  return z
    .strictObject({
      /** Rule P1: checked before this schema (parseSyncRequest), so an old client gets version_not_supported. */
      protocolVersion: z.literal(PROTOCOL_VERSION),
      deviceId: uid,
      syncId: uid,
      /** Delta mode: the cursor of the last response applied on the device; null or absent means full. */
      cursor: z
        .string()
        .regex(/^\d{1,19}$/, 'cursor must be a cursor returned by the server')
        .nullable()
        .optional(),
      /** Rule G4: the opaque token of the next page of a full download (its `page.next`). */
      page: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,512}$/, 'page must be a page token returned by the server')
        .nullable()
        .optional(),
      [parent.plural]: parents,
      [child.plural]: children,
    })
    .superRefine((req, ctx) => {
      const p = req[parent.plural] as LooseChangeSet
      const c = req[child.plural] as LooseChangeSet
      checkUnique(parent, p, ctx)
      checkUnique(child, c, ctx)
      const addedParents = new Set(p.added.map((r) => r.id))
      for (const list of ['added', 'modified'] as const) {
        c[list].forEach((record, index) => {
          const ref = record[child.parentKey] as number
          if (ref !== undefined && ref < 0 && !addedParents.has(ref)) {
            ctx.addIssue({
              code: 'custom',
              path: [child.plural, list, index, child.parentKey],
              message: `${child.name} points at ${parent.name} ${ref}, a local id that is not among the added ${parent.plural} of this request`,
            })
          }
        })
      }
    })
}

function responseSchema(spec: OneToManySpec) {
  const { parent, child } = spec
  const serverRecord = (entity: EntitySpec, parentKey?: string) =>
    z.strictObject({
      id: serverId,
      uid,
      ...Object.fromEntries(Object.keys(entity.fields).map((name) => [name, z.string().nullable()])),
      ...(parentKey ? { [parentKey]: serverId } : {}),
      createdAt: z.string(),
      updatedAt: z.string(),
      version: z.string(),
      isFromServer: z.literal(true),
      isModified: z.literal(false),
      isActive: z.literal(true),
    })

  const entityName = z.enum([parent.name, child.name])
  const overwrite = z.strictObject({
    entity: entityName,
    id: serverId,
    uid,
    field: z.string().nullable(),
    replaced: z.union([z.string(), z.number(), z.null()]),
    written: z.union([z.string(), z.number(), z.null()]),
    byDevice: uid.nullable(),
    version: z.string().regex(/^\d{1,19}$/),
  })

  const idMap = z.record(z.string().regex(/^-\d+$/), serverId)
  const count = z.number().int().nonnegative()
  const ack = z.strictObject({
    id: serverId,
    uid,
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.string().regex(/^\d{1,19}$/),
  })
  return z.strictObject({
    mode: z.enum(['full', 'delta']),
    cursor: z.string().regex(/^\d{1,19}$/),
    replayed: z.boolean(),
    [parent.plural]: z.array(serverRecord(parent)),
    [child.plural]: z.array(serverRecord(child, child.parentKey)),
    /** Delta mode only: server ids deleted since the request's cursor. Empty in full mode. */
    removed: z.strictObject({ [parent.plural]: z.array(serverId), [child.plural]: z.array(serverId) }),
    [idMapKey(parent.name)]: idMap,
    [idMapKey(child.name)]: idMap,
    rejected: z.array(
      z.strictObject({
        entity: z.enum([parent.name, child.name]),
        id: anyId,
        uid,
        code: z.enum(REJECTION_CODES),
        reason: z.string(),
      }),
    ),
    /** Rule M4: values this request's writes replaced (another device wrote them after this device's base). */
    overwrites: z.array(overwrite),
    /** Rule M5: this device's values that other devices' writes replaced, since the request's cursor. */
    overwritten: z.array(overwrite),
    /** Rule G1: a full read's place in its download; null in delta mode. */
    page: z
      .strictObject({
        next: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,512}$/)
          .nullable(),
        total: z.strictObject({ [parent.plural]: count, [child.plural]: count }),
      })
      .nullable(),
    /** Rule G7: records this sync wrote that the device already holds, acknowledged without their fields. */
    written: z.strictObject({ [parent.plural]: z.array(ack), [child.plural]: z.array(ack) }),
  })
}

export type ChildOf<S extends OneToManySpec> = S['child'] extends ChildSpec ? S['child'] : never

/**
 * syncSchemas with their outputs typed by the declaration: what passes `request` is a SyncRequest<S>, what passes
 * `response` a SyncResponse<S>. (Zod cannot infer keys built from the declaration at run time; this is the one
 * place that says what they are.)
 */
export function typedSyncSchemas<S extends OneToManySpec>(
  spec: S,
): { request: z.ZodType<SyncRequest<S>>; response: z.ZodType<SyncResponse<S>> } {
  const schemas = syncSchemas(spec)
  // Getters, so that reading one builds only that one (see syncSchemas).
  return {
    get request() {
      return schemas.request as unknown as z.ZodType<SyncRequest<S>>
    },
    get response() {
      return schemas.response as unknown as z.ZodType<SyncResponse<S>>
    },
  }
}

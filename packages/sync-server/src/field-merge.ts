import { fieldNames, type Overwrite } from '@offline-sync/sync-protocol'
import type { RecordRef, WireRecord, WriteContext } from './change-set.ts'
import type { EntityTable } from './sync-entities.ts'
import { BaseAheadError } from './errors.ts'

/** Who last wrote one field of a row, and at which change cursor (the row's `fieldVersions` column). */
export interface FieldVersion {
  /** Change cursor of the write. */
  v: string
  /** The device that wrote it. */
  d: string
}
export type FieldVersions = Record<string, FieldVersion | undefined>

/** Keys a modified record carries besides its changed fields. */
const NOT_FIELDS = new Set(['id', 'uid', 'base'])

/**
 * Rules M1–M4: writes only the fields each modify names, over whatever others wrote since its base, in two
 * statements for the whole list (read the rows, then one UPDATE). Writers are serialised by the sync-state lock,
 * so nothing changes the rows between the two. A field another device wrote after this device's base, now
 * replaced by a different value, is an overwrite: reported to this device (ctx.overwrites) and stored for the
 * other (ctx.notices). Returns the ids written; a record that is gone is left to the caller (`not_found`).
 * Throws BaseAheadError (400, nothing committed) for a base newer than the row (rule M2).
 */
export async function mergeModified(
  ctx: WriteContext,
  table: EntityTable,
  plural: string,
  records: readonly WireRecord[],
  indexOf: (record: WireRecord) => number,
): Promise<Set<number>> {
  if (records.length === 0) return new Set()
  const rows = await ctx.tx.query<Record<string, unknown> & { id: number; version: string }>(
    table.sql.selectForMerge,
    [JSON.stringify(records.map((r) => ({ id: r.id, uid: r.uid })))],
  )
  const byId = new Map(rows.map((row) => [row.id, row]))
  const patches: { id: number; p: Record<string, unknown>; fv: FieldVersions }[] = []
  const held: number[] = []
  for (const record of records) {
    const row = byId.get(record.id)
    if (!row) continue
    const base = BigInt(record.base as string)
    if (base > BigInt(row.version))
      throw new BaseAheadError(
        `${plural}.modified[${indexOf(record)}].base`,
        record.base as string,
        row.version,
      )
    const versions = parseVersions(row.fieldVersions)
    const p: Record<string, unknown> = {}
    const fv: FieldVersions = {}
    for (const [field, value] of Object.entries(record)) {
      if (NOT_FIELDS.has(field) || value === undefined) continue
      p[field] = value
      fv[field] = { v: ctx.version, d: ctx.deviceId }
      const last = versions[field]
      const current = row[field] ?? null
      if (last && BigInt(last.v) > base && last.d !== ctx.deviceId && current !== value) {
        report(ctx, table, record, field, { mine: value as Value, theirs: current as Value, other: last.d })
      }
    }
    patches.push({ id: record.id, p, fv })
    if (holdsTheRest(ctx.heldUpTo, table, row, versions, p)) held.push(record.id)
  }
  if (patches.length === 0) return new Set()
  const returned = await ctx.tx.query<{ id: number }>(table.sql.mergeModified, [
    JSON.stringify(patches),
    ctx.version,
  ])
  const written = new Set(returned.map((row) => row.id))
  acknowledge(
    ctx,
    table,
    held.filter((id) => written.has(id)),
  )
  return written
}

/** Rule G7: records of this sync the device holds whole are acknowledged in `written` instead of sent back. */
export function acknowledge(ctx: WriteContext, table: EntityTable, ids: readonly number[]): void {
  const list = ctx.acked.get(table.spec.name) ?? []
  list.push(...ids)
  ctx.acked.set(table.spec.name, list)
}

/**
 * Rule G7: after this modify, does the device hold every field of the row? The fields it sends it holds; every
 * other field must have been last written at or before the cursor it synced to. A field with no recorded write
 * (a row from before field versions) counts as written with the row's previous version.
 */
function holdsTheRest(
  heldUpTo: bigint | null,
  table: EntityTable,
  row: { version: string },
  versions: FieldVersions,
  patch: Record<string, unknown>,
): boolean {
  const names = table.parentKey ? [...fieldNames(table.spec), table.parentKey] : fieldNames(table.spec)
  return names.every((name) => {
    if (name in patch) return true
    if (heldUpTo === null) return false
    return BigInt(versions[name]?.v ?? row.version) <= heldUpTo
  })
}

/** A deleted row as deleteByRef returns it: its state just before the delete. */
export interface DeletedRow {
  id: number
  label: string | null
  version: string
  fieldVersions: unknown
}

/**
 * Rule M7: a delete is applied even when another device edited the record after the deleter's base; both
 * learn it: the deleter in `overwrites`, every such editor in its next `overwritten` (field null, `replaced` =
 * the record's label). Throws BaseAheadError for a base newer than the row (rule M2).
 */
export function reportDeletesOverEdits(
  ctx: WriteContext,
  table: EntityTable,
  plural: string,
  sent: readonly (RecordRef & { base?: unknown })[],
  deleted: readonly DeletedRow[],
): void {
  const rows = new Map(deleted.map((row) => [row.id, row]))
  sent.forEach((record, index) => {
    const row = rows.get(record.id)
    if (!row || typeof record.base !== 'string') return
    const base = BigInt(record.base)
    if (base > BigInt(row.version))
      throw new BaseAheadError(`${plural}.deleted[${index}].base`, record.base, row.version)
    const editors = new Set<string>()
    for (const last of Object.values(parseVersions(row.fieldVersions))) {
      if (last && BigInt(last.v) > base && last.d !== ctx.deviceId) editors.add(last.d)
    }
    for (const editor of editors)
      report(ctx, table, record, null, { mine: null, theirs: row.label, other: editor })
  })
}

type Value = string | number | null

/** One overwrite, seen from both sides: to this device now, and stored for the other device's next sync. */
function report(
  ctx: WriteContext,
  table: EntityTable,
  record: RecordRef,
  field: string | null,
  values: { mine: Value; theirs: Value; other: string },
) {
  const about = { entity: table.spec.name, id: record.id, uid: record.uid, field, version: ctx.version }
  const toWriter: Overwrite = {
    ...about,
    replaced: values.theirs,
    written: values.mine,
    byDevice: values.other,
  }
  const toOther: Overwrite = {
    ...about,
    replaced: values.theirs,
    written: values.mine,
    byDevice: ctx.deviceId,
  }
  ctx.overwrites.push(toWriter)
  ctx.notices.push({ deviceId: values.other, entry: toOther })
}

function parseVersions(value: unknown): FieldVersions {
  if (typeof value === 'string') return JSON.parse(value) as FieldVersions
  return (value ?? {}) as FieldVersions
}

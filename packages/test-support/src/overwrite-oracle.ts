import { listOverwrites, type KeptOverwrite } from '@offline-sync/sync-client'
import type { CompaniesContacts, Overwrite, SyncRequest, SyncResponse } from '@offline-sync/sync-protocol'
import type { NodeDevice } from './node-device.ts'

type Value = string | number | null
type Rec = Record<string, unknown> & { id: number; uid: string; base?: string }

/** A request the server applied (not a replay) and its answer; `response.cursor` is the write's version (R11). */
export interface AppliedSync {
  request: SyncRequest<CompaniesContacts>
  response: SyncResponse<CompaniesContacts>
}

/** What one device holds and heard: its kept overwrites, and every overwrite any answer it got reported. */
export interface DeviceOverwrites {
  label: string
  deviceId: string
  kept: readonly KeptOverwrite[]
  /** Every entry of `overwrites` (side 'mine') and `overwritten` (side 'theirs') of every answer it received. */
  reported: readonly (Overwrite & { side: 'mine' | 'theirs' })[]
}

/** What a Node device (node-device.ts) keeps, and every overwrite the answers it received reported. */
export async function deviceOverwrites(device: NodeDevice): Promise<DeviceOverwrites> {
  const deviceId = (await device.db.meta.get('deviceId'))?.value
  return {
    label: device.label,
    deviceId: typeof deviceId === 'string' ? deviceId : '',
    kept: await listOverwrites(device.db),
    reported: device.exchanges.flatMap((e) => {
      const response = e.response as unknown as SyncResponse<CompaniesContacts> | undefined
      return response
        ? [
            ...response.overwrites.map((o) => ({ ...o, side: 'mine' as const })),
            ...response.overwritten.map((o) => ({ ...o, side: 'theirs' as const })),
          ]
        : []
    }),
  }
}

/** One applied write of one field. */
interface FieldWrite {
  value: Value
  device: string
  /** The modify's base; null for an add (which every later editor has seen). */
  base: bigint | null
  version: bigint
}

/** The overwrite a device must be told, by key: the values and the other device (null for a delete: M7). */
interface Told {
  replaced: Value | undefined
  written: Value
  byDevice: string
}

const ENTITIES = [
  { name: 'company', plural: 'companies', fields: ['name', 'address', 'phone', 'email', 'website'] },
  { name: 'contact', plural: 'contacts', fields: ['name', 'jobTitle', 'email', 'phone', 'companyId'] },
] as const

/** The key a device keeps an overwrite under (packages/sync-client overwrite-notices.ts). */
export const overwriteKey = (
  side: 'mine' | 'theirs',
  o: Pick<Overwrite, 'entity' | 'uid' | 'field' | 'version'>,
) => `${side}:${o.entity}:${o.uid}:${o.field ?? '*'}:${o.version}`

/**
 * Replays the applied requests in the order of arrival (their cursors, R11): the writes of every field, and the
 * overwrites each device must have been told (rules M3–M5, M7): a same-field write by another device after the
 * writer's base, to a different value, told to the writer ('mine', M4) and to the one replaced ('theirs', M5);
 * a delete after another device's edit, to both.
 */
function replay(applied: readonly AppliedSync[]) {
  const writes = new Map<string, FieldWrite[]>()
  const told = new Map<string, Map<string, Told>>()
  const tell = (device: string, key: string, what: Told) => {
    if (!told.has(device)) told.set(device, new Map())
    told.get(device)!.set(key, what)
  }
  const inOrder = [...applied].sort((a, b) => Number(BigInt(a.response.cursor) - BigInt(b.response.cursor)))
  for (const { request, response } of inOrder) {
    const version = BigInt(response.cursor)
    const device = request.deviceId
    const refused = new Set(response.rejected.map((r) => `${r.entity}:${r.uid}`))
    for (const entity of ENTITIES) {
      const set = request[entity.plural] as unknown as { added: Rec[]; modified: Rec[]; deleted: Rec[] }
      const ok = (r: Rec) => !refused.has(`${entity.name}:${r.uid}`)
      for (const r of set.added.filter(ok))
        for (const f of entity.fields)
          push(writes, `${r.uid}:${f}`, {
            value: value(r[f], f, response, entity.name),
            device,
            base: null,
            version,
          })
      for (const r of set.modified.filter(ok)) {
        const base = BigInt(r.base ?? '0')
        for (const f of entity.fields) {
          if (!(f in r)) continue
          const v = value(r[f], f, response, entity.name)
          const prev = writes.get(`${r.uid}:${f}`)?.at(-1)
          if (prev && prev.device !== device && prev.version > base && prev.value !== v) {
            const at = { entity: entity.name, uid: r.uid, field: f, version: String(version) }
            tell(device, overwriteKey('mine', at), {
              replaced: prev.value,
              written: v,
              byDevice: prev.device,
            })
            tell(prev.device, overwriteKey('theirs', at), {
              replaced: prev.value,
              written: v,
              byDevice: device,
            })
          }
          push(writes, `${r.uid}:${f}`, { value: v, device, base, version })
        }
      }
      for (const r of set.deleted.filter(ok)) {
        const base = BigInt(r.base ?? '0')
        const at = { entity: entity.name, uid: r.uid, field: null, version: String(version) }
        for (const f of entity.fields) {
          const last = writes.get(`${r.uid}:${f}`)?.at(-1)
          if (last && last.device !== device && last.version > base) {
            // `replaced` is the record's label, which this replay does not model: only `written` is checked.
            tell(device, overwriteKey('mine', at), {
              replaced: undefined,
              written: null,
              byDevice: last.device,
            })
            tell(last.device, overwriteKey('theirs', at), {
              replaced: undefined,
              written: null,
              byDevice: device,
            })
          }
        }
      }
    }
  }
  return { writes, told }
}

/**
 * Issue 14's property, judged from the outside: given the requests the server applied, the server's rows and what
 * each device kept and heard, returns every breach in words ([] = none):
 * - a field that does not hold its last applied write (a value written by an acknowledged sync lost without a
 *   later write to that field);
 * - a device that does not keep exactly the overwrites M3–M5 and M7 imply for it (one missing, or one too many);
 * - an answer that reported an overwrite the device should not hear of, or reported one with other values
 *   (`replaced`, `written`, `byDevice`) than the writes imply — twice as a different value included (M6).
 */
export function overwriteProblems(
  applied: readonly AppliedSync[],
  rows: { companies: Record<string, unknown>[]; contacts: Record<string, unknown>[] },
  devices: readonly DeviceOverwrites[],
): string[] {
  const { writes, told } = replay(applied)
  const problems: string[] = []
  for (const [entity, list] of [
    [ENTITIES[0], rows.companies],
    [ENTITIES[1], rows.contacts],
  ] as const)
    for (const row of list)
      for (const f of entity.fields) {
        const last = writes.get(`${String(row.uid)}:${f}`)?.at(-1)
        if (last && (row[f] ?? null) !== last.value)
          problems.push(
            `${entity.name} ${String(row.uid)} ${f}: the server holds ${JSON.stringify(row[f] ?? null)}, its last write was ${JSON.stringify(last.value)}`,
          )
      }
  for (const d of devices) {
    const expected = told.get(d.deviceId) ?? new Map<string, Told>()
    const kept = new Set(d.kept.map((o) => o.key))
    for (const key of expected.keys()) if (!kept.has(key)) problems.push(`${d.label} was never told ${key}`)
    for (const key of kept)
      if (!expected.has(key)) problems.push(`${d.label} keeps ${key}, which is no overwrite`)
    for (const o of [...d.kept, ...d.reported]) {
      const key = overwriteKey(o.side, o)
      const want = expected.get(key)
      if (!want) {
        problems.push(`${d.label} was told ${key}, which is no overwrite`)
        continue
      }
      const got = {
        replaced: want.replaced === undefined ? undefined : o.replaced,
        written: o.written,
        byDevice: o.byDevice,
      }
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(
          `${d.label} was told ${key} as ${JSON.stringify(got)}, the writes say ${JSON.stringify(want)}`,
        )
    }
  }
  return problems
}

function push(map: Map<string, FieldWrite[]>, key: string, write: FieldWrite) {
  if (!map.has(key)) map.set(key, [])
  map.get(key)!.push(write)
}

/** A parent key sent as a local id is stored as the id the server gave that parent. */
function value(v: unknown, field: string, response: SyncResponse<CompaniesContacts>, entity: string): Value {
  if (entity === 'contact' && field === 'companyId' && typeof v === 'number' && v < 0)
    return response.companyIdMap[String(v)] ?? v
  return v === undefined || v === '' ? null : (v as Value)
}

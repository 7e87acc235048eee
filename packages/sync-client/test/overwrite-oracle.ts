import { expect } from 'vitest'
import type { CompaniesContacts, SyncRequest, SyncResponse } from '@offline-sync/sync-protocol'
import { listOverwrites } from '../src/overwrite-notices.ts'
import { serverRows, type makeSyncedDevice, type TestServer } from './round-trip-harness.ts'

type Req = SyncRequest<CompaniesContacts>
type Res = SyncResponse<CompaniesContacts>
type Value = string | number | null
type Rec = Record<string, unknown> & { id: number; uid: string; base?: string }

/** One applied write of one field, from the server's log of applied requests. */
interface FieldWrite {
  value: Value
  device: string
  /** The modify's base; null for an add (which every later editor has seen). */
  base: bigint | null
  version: bigint
}

const ENTITIES = [
  { name: 'company', plural: 'companies', fields: ['name', 'address', 'phone', 'email', 'website'] },
  { name: 'contact', plural: 'contacts', fields: ['name', 'jobTitle', 'email', 'phone', 'companyId'] },
] as const

/**
 * Records every request the server applied (not replays), to check issue 14's property independently of the
 * engine: a field value written by an acknowledged sync is lost only when a later write to the same field
 * replaced it, and every replacement of another device's value written after the writer's base is reported to
 * both devices (rules M3–M5, M7).
 */
export function overwriteOracle(server: TestServer) {
  const log: { request: Req; response: Res }[] = []
  const recording: TestServer = {
    ...server,
    engine: {
      ...server.engine,
      sync: async (request) => {
        const response = await server.engine.sync(request)
        if (!response.replayed) log.push({ request, response })
        return response
      },
    },
  }

  /** Replays the log: the field writes per `uid:field`, and the overwrites each device should have been told. */
  function expected() {
    const writes = new Map<string, FieldWrite[]>()
    const told = new Map<string, Set<string>>()
    const tell = (device: string, key: string) => {
      if (!told.has(device)) told.set(device, new Set())
      told.get(device)!.add(key)
    }
    for (const { request, response } of log) {
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
              tell(device, `mine:${entity.name}:${r.uid}:${f}:${version}`)
              tell(prev.device, `theirs:${entity.name}:${r.uid}:${f}:${version}`)
            }
            push(writes, `${r.uid}:${f}`, { value: v, device, base, version })
          }
        }
        for (const r of set.deleted.filter(ok)) {
          const base = BigInt(r.base ?? '0')
          for (const f of entity.fields) {
            const last = writes.get(`${r.uid}:${f}`)?.at(-1)
            if (last && last.device !== device && last.version > base) {
              tell(device, `mine:${entity.name}:${r.uid}:*:${version}`)
              tell(last.device, `theirs:${entity.name}:${r.uid}:*:${version}`)
            }
          }
        }
      }
    }
    return { writes, told }
  }

  return {
    server: recording,
    /** After the devices settled: the server holds each field's last write, and each device was told exactly the overwrites. */
    async check(devices: ReturnType<typeof makeSyncedDevice>[]) {
      const { writes, told } = expected()
      const rows = await serverRows(server)
      for (const [entity, list] of [
        [ENTITIES[0], rows.companies],
        [ENTITIES[1], rows.contacts],
      ] as const) {
        for (const row of list)
          for (const f of entity.fields) {
            const last = writes.get(`${String(row.uid)}:${f}`)?.at(-1)
            if (last) expect(row[f] ?? null, `${entity.name} ${String(row.uid)} ${f}`).toEqual(last.value)
          }
      }
      for (const d of devices) {
        const deviceId = (await d.db.meta.get('deviceId'))?.value as string | undefined
        const kept = (await listOverwrites(d.db)).map((o) => o.key)
        expect(new Set(kept), `overwrites told to ${d.db.name}`).toEqual(
          told.get(deviceId ?? '') ?? new Set(),
        )
      }
    },
  }
}

function push(map: Map<string, FieldWrite[]>, key: string, write: FieldWrite) {
  if (!map.has(key)) map.set(key, [])
  map.get(key)!.push(write)
}

/** A parent key sent as a local id is stored as the id the server gave that parent. */
function value(v: unknown, field: string, response: Res, entity: string): Value {
  if (entity === 'contact' && field === 'companyId' && typeof v === 'number' && v < 0)
    return response.companyIdMap[String(v)] ?? v
  return v === undefined || v === '' ? null : (v as Value)
}

import pg from 'pg'
import { companiesContacts } from '@offline-sync/sync-protocol'
import type { Exchange } from '@offline-sync/test-support/node-device'

type Entity = 'company' | 'contact'
const ENTITIES = [
  { name: 'company', plural: 'companies', table: 'Company', spec: companiesContacts.parent },
  { name: 'contact', plural: 'contacts', table: 'Contact', spec: companiesContacts.child },
] as const

/** One change the server accepted, at the position (`version` = the sync's cursor) it arrived in. */
interface AcceptedWrite {
  entity: Entity
  uid: string
  kind: 'added' | 'modified' | 'deleted'
  /** Arrival order; null when only a replay answered (the first answer, which carried it, was lost). */
  version: bigint | null
  /** The declared fields sent (adds and edits), without the parent key (remapped by the server). */
  fields: Record<string, unknown>
  /** Server id: from the id map for an add, as sent for edits and deletes. */
  serverId: number | null
}

interface SyncBody {
  cursor: string
  replayed: boolean
  rejected: { entity: string; uid: string }[]
  companyIdMap: Record<string, number>
  contactIdMap: Record<string, number>
  [plural: string]: unknown
}

/**
 * Every change the server accepted, read from the devices' own records of what they sent and what came back.
 * The server stamps a writing sync with the next cursor value under its writers' lock, so the cursor it answers
 * is the order of arrival (protocol R11).
 */
export function acceptedWrites(exchanges: Exchange[]): AcceptedWrite[] {
  const out: AcceptedWrite[] = []
  for (const exchange of exchanges) {
    const body = exchange.response as unknown as SyncBody | undefined
    if (!body) continue
    const refused = new Set(body.rejected.map((r) => `${r.entity}:${r.uid}`))
    const version = body.replayed ? null : BigInt(body.cursor)
    const request = exchange.request as Record<string, unknown>
    for (const entity of ENTITIES) {
      const set = request[entity.plural] as Record<
        'added' | 'modified' | 'deleted',
        Record<string, unknown>[]
      >
      const idMap = body[`${entity.name}IdMap`] as Record<string, number>
      for (const kind of ['added', 'modified', 'deleted'] as const) {
        for (const record of set?.[kind] ?? []) {
          const uid = String(record.uid)
          if (refused.has(`${entity.name}:${uid}`)) continue
          const fields: Record<string, unknown> = {}
          // An add carries every field; a modify only those it changed (rule M1), and only those it writes.
          if (kind !== 'deleted')
            for (const field of Object.keys(entity.spec.fields))
              if (field !== companiesContacts.child.parentKey && (kind === 'added' || field in record))
                fields[field] = record[field] ?? null
          const id = Number(record.id)
          out.push({
            entity: entity.name,
            uid,
            kind,
            version,
            fields,
            serverId: kind === 'added' ? (idMap[String(id)] ?? null) : id,
          })
        }
      }
    }
  }
  return out
}

export interface CheckResult {
  problems: string[]
  /** Records whose last write only a replay answered: checked for "one of the values sent", not for the last. */
  uncertain: number
  records: { companies: number; contacts: number; tombstones: number }
  checkedRecords: number
}

/**
 * The load test's correctness checks against the database itself:
 * - no duplicates: every uid once, every accepted add present exactly once or deleted (it has a tombstone);
 * - every accepted delete left a tombstone and the record is gone; nothing exists that no device added;
 * - last write wins by arrival: each present record holds exactly the fields of the accepted write with the
 *   highest cursor, and its `version` column is that cursor.
 */
export async function checkServerState(databaseUrl: string, exchanges: Exchange[]): Promise<CheckResult> {
  const writes = acceptedWrites(exchanges)
  const problems: string[] = []
  let uncertain = 0
  let checkedRecords = 0
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const tombstones = await client.query<{ entity: string; recordId: number }>(
      'SELECT entity, "recordId" FROM "Tombstone"',
    )
    const dead = new Set(tombstones.rows.map((t) => `${t.entity}:${t.recordId}`))
    const counts = { companies: 0, contacts: 0, tombstones: tombstones.rowCount ?? 0 }
    for (const entity of ENTITIES) {
      const columns = Object.keys(entity.spec.fields)
        .filter((f) => f !== companiesContacts.child.parentKey)
        .map((f) => `"${f}"`)
      const { rows } = await client.query<
        Record<string, unknown> & { id: number; uid: string; version: string }
      >(`SELECT id, uid::text AS uid, version::text AS version, ${columns.join(', ')} FROM "${entity.table}"`)
      counts[entity.plural] = rows.length
      const byUid = new Map<string, (typeof rows)[number][]>()
      for (const row of rows) byUid.set(row.uid, [...(byUid.get(row.uid) ?? []), row])
      for (const [uid, found] of byUid)
        if (found.length > 1) problems.push(`${entity.name} ${uid} exists ${found.length} times`)

      const mine = writes.filter((w) => w.entity === entity.name)
      const perUid = new Map<string, AcceptedWrite[]>()
      for (const write of mine) perUid.set(write.uid, [...(perUid.get(write.uid) ?? []), write])
      for (const row of rows)
        if (!perUid.get(row.uid)?.some((w) => w.kind === 'added'))
          problems.push(`${entity.name} ${row.uid} is on the server but no device's add of it was accepted`)

      for (const [uid, history] of perUid) {
        const row = byUid.get(uid)?.[0]
        const add = history.find((w) => w.kind === 'added')
        const deleted = history.find((w) => w.kind === 'deleted')
        const serverId = add?.serverId ?? history.find((w) => w.serverId !== null)?.serverId ?? null
        const tombstoned = serverId !== null && dead.has(`${entity.table}:${serverId}`)
        if (history.filter((w) => w.kind === 'added').length > 1)
          problems.push(`${entity.name} ${uid}: the server accepted its add more than once`)
        if (deleted && row)
          problems.push(`${entity.name} ${uid}: a delete was accepted but the record is still there`)
        if (deleted && !tombstoned) problems.push(`${entity.name} ${uid}: deleted without a tombstone`)
        if (add && !row && !tombstoned)
          problems.push(`${entity.name} ${uid}: added, never deleted, but missing on the server (lost)`)
        if (!row) continue
        checkedRecords++
        const valued = history.filter((w) => w.kind !== 'deleted')
        if (valued.some((w) => w.version === null)) {
          // A replay hides this write's place in the order: it must at least be one of the values sent.
          uncertain++
          if (!valued.some((w) => sameFields(w.fields, row)))
            problems.push(`${entity.name} ${uid} holds a value no device sent`)
          continue
        }
        // Last write wins by arrival, field by field (rule M3): fold the writes in cursor order.
        const ordered = [...valued].sort((a, b) =>
          a.version! < b.version! ? -1 : a.version! > b.version! ? 1 : 0,
        )
        const last = ordered[ordered.length - 1]!
        const expected: Record<string, unknown> = {}
        for (const write of ordered) Object.assign(expected, write.fields)
        if (!sameFields(expected, row))
          problems.push(
            `${entity.name} ${uid}: last write by arrival, field by field (up to cursor ${last.version}), makes ` +
              `${JSON.stringify(expected)}, the server holds ${JSON.stringify(pickFields(expected, row))}`,
          )
        if (BigInt(row.version) !== last.version)
          problems.push(
            `${entity.name} ${uid}: version ${row.version}, but its last write arrived at ${last.version}`,
          )
      }
    }
    return { problems, uncertain, records: counts, checkedRecords }
  } finally {
    await client.end()
  }
}

function pickFields(fields: Record<string, unknown>, row: Record<string, unknown>) {
  return Object.fromEntries(Object.keys(fields).map((key) => [key, row[key] ?? null]))
}

function sameFields(fields: Record<string, unknown>, row: Record<string, unknown>): boolean {
  return JSON.stringify(fields) === JSON.stringify(pickFields(fields, row))
}

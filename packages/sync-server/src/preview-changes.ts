import { LIMITS, type OneToManySpec } from '@offline-sync/sync-protocol'
import type { SqlExecutor } from './ports.ts'
import { quoteIdent as q } from './sql/identifiers.ts'

/** Which of the device's edited records the server changed since the device's cursor. Read-only. */
export interface PreviewRequest {
  /** The device's cursor (its last applied sync); null when it never synced. */
  cursor: string | null
  /** Server ids (> 0) of parents / children the device is about to send changes for. */
  parents: number[]
  children: number[]
}

export type PreviewResult =
  | {
      cursorKnown: true
      /** The server's committed cursor at the time of the check. */
      cursor: string
      parents: { changed: number[]; deleted: number[] }
      children: { changed: number[]; deleted: number[] }
    }
  | {
      /** The cursor cannot be compared: none, from the future (a reset server) or older than the pruned deletes. */
      cursorKnown: false
      reason: 'no_cursor' | 'unknown_cursor'
    }

export type PreviewParse =
  | { ok: true; value: PreviewRequest }
  | { ok: false; error: { code: 'invalid'; message: string; details: { path: string[]; message: string }[] } }

const MAX_INT = 2_147_483_647

/** Validates a preview body; a bad one is refused whole with the first problems named. */
export function parsePreviewRequest(body: unknown): PreviewParse {
  const details: { path: string[]; message: string }[] = []
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalid([{ path: [], message: 'Send a JSON object { cursor, parents, children }' }])
  const b = body as Record<string, unknown>
  const cursor = b.cursor ?? null
  const isCursor = (c: unknown) =>
    typeof c === 'string' && /^\d{1,19}$/.test(c) && BigInt(c) <= 9_223_372_036_854_775_807n
  if (cursor !== null && !isCursor(cursor))
    details.push({
      path: ['cursor'],
      message: 'cursor must be null or the decimal cursor of a sync response',
    })
  const ids = (key: 'parents' | 'children'): number[] => {
    const list = b[key] ?? []
    if (!Array.isArray(list)) {
      details.push({ path: [key], message: `${key} must be an array of server ids` })
      return []
    }
    list.forEach((id, i) => {
      if (!Number.isInteger(id) || (id as number) < 1 || (id as number) > MAX_INT)
        details.push({ path: [key, String(i)], message: 'must be a positive integer id' })
    })
    return list as number[]
  }
  const parents = ids('parents')
  const children = ids('children')
  if (parents.length + children.length > LIMITS.maxRecordsPerRequest)
    details.push({ path: [], message: `at most ${LIMITS.maxRecordsPerRequest} ids per preview` })
  if (details.length > 0) return invalid(details.slice(0, 20))
  return { ok: true, value: { cursor: cursor as string | null, parents, children } }
}

function invalid(details: { path: string[]; message: string }[]): PreviewParse {
  const first = details[0]!
  const where = first.path.length ? `${first.path.join('.')}: ` : ''
  return {
    ok: false,
    error: { code: 'invalid', message: `Invalid preview request (${where}${first.message})`, details },
  }
}

/**
 * The pre-sync preview's server half: for the ids a device is about to send, which were written (version above
 * its cursor) or deleted (a tombstone above it, row gone) by someone else since that device last synced. One
 * statement, validity of the cursor included (same rule as the read mode of a sync: within floor..committed).
 */
export function createPreviewChanges(spec: OneToManySpec, db: SqlExecutor) {
  const sides = [
    { key: 'parents', table: spec.parent.table, ids: '$2' },
    { key: 'children', table: spec.child.table, ids: '$3' },
  ] as const
  const parts = sides.flatMap(({ key, table, ids }) => {
    const given = `(SELECT DISTINCT (jsonb_array_elements_text(${ids}::jsonb))::int AS id)`
    return [
      `SELECT '${key}' AS side, 'changed' AS how, t.id FROM ${q(table)} AS t JOIN ${given} AS x ON t.id = x.id ` +
        `WHERE EXISTS (SELECT 1 FROM ok) AND t.version > $1::bigint`,
      `SELECT '${key}', 'deleted', x.id FROM ${given} AS x WHERE EXISTS (SELECT 1 FROM ok) ` +
        `AND NOT EXISTS (SELECT 1 FROM ${q(table)} AS t WHERE t.id = x.id) ` +
        `AND EXISTS (SELECT 1 FROM "Tombstone" AS d WHERE d.entity = '${table.replaceAll("'", "''")}' ` +
        `AND d."recordId" = x.id AND d.version > $1::bigint)`,
    ]
  })
  const statement =
    `WITH s AS (SELECT cursor, "tombstoneFloor" AS floor FROM "SyncState" WHERE id = 1), ` +
    `ok AS (SELECT 1 FROM s WHERE $1::bigint <= s.cursor AND $1::bigint >= s.floor) ` +
    `SELECT 'state' AS side, CASE WHEN EXISTS (SELECT 1 FROM ok) THEN 'ok' ELSE 'unknown' END AS how, NULL::int AS id, ` +
    `(SELECT cursor::text FROM s) AS cursor ` +
    parts.map((p) => `UNION ALL SELECT side, how, id, NULL FROM (${p}) AS part(side, how, id)`).join(' ') +
    ' ORDER BY 1, 2, 3'

  return {
    async preview(request: PreviewRequest): Promise<PreviewResult> {
      if (request.cursor === null) return { cursorKnown: false, reason: 'no_cursor' }
      const rows = await db.query<{ side: string; how: string; id: number | null; cursor: string | null }>(
        statement,
        [request.cursor, JSON.stringify(request.parents), JSON.stringify(request.children)],
      )
      const state = rows.find((r) => r.side === 'state')
      if (!state || state.how !== 'ok') return { cursorKnown: false, reason: 'unknown_cursor' }
      const pick = (side: string, how: string) =>
        rows.filter((r) => r.side === side && r.how === how).map((r) => Number(r.id))
      return {
        cursorKnown: true,
        cursor: state.cursor ?? request.cursor,
        parents: { changed: pick('parents', 'changed'), deleted: pick('parents', 'deleted') },
        children: { changed: pick('children', 'changed'), deleted: pick('children', 'deleted') },
      }
    },
  }
}

export type PreviewChanges = ReturnType<typeof createPreviewChanges>

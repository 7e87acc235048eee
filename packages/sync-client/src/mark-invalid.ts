import { requestChanges, type OneToManySpec } from '@offline-sync/sync-protocol'
import type { LocalDatabase, OutboxEntry } from './local-database.ts'
import { sortFieldOf, toStored } from './stored-record.ts'
import { refused } from './record-states.ts'

interface NamedProblem {
  plural: string
  uid: string
  message: string
}

/**
 * Reads a 400's `details` — the server's `[{ path: 'contacts.added[3].email', message }]`, or zod issues with
 * array paths `['contacts', 'added', 3, 'email']` — and finds the request records they name.
 */
export function namedProblems(
  spec: OneToManySpec,
  request: OutboxEntry['request'],
  details: unknown,
): NamedProblem[] {
  if (!Array.isArray(details)) return []
  const plurals = new Set([spec.parent.plural, spec.child.plural])
  const out: NamedProblem[] = []
  for (const issue of details as unknown[]) {
    if (typeof issue !== 'object' || issue === null) continue
    const { path, message } = issue as { path?: unknown; message?: unknown }
    const parts = Array.isArray(path) ? (path as unknown[]) : typeof path === 'string' ? splitPath(path) : []
    const [plural, list, index] = parts
    if (typeof plural !== 'string' || !plurals.has(plural)) continue
    if (list !== 'added' && list !== 'modified' && list !== 'deleted') continue
    const changes = requestChanges(spec, request)
    const set = plural === spec.parent.plural ? changes.parents : changes.children
    const record: { uid?: unknown } | undefined = set?.[list]?.[Number(index)]
    if (typeof record?.uid !== 'string') continue
    const field = parts.slice(3).join('.')
    const text = typeof message === 'string' ? message : 'refused by the server'
    out.push({
      plural,
      uid: record.uid,
      message: field && !text.includes(field) ? `${field}: ${text}` : text,
    })
  }
  return out
}

/** 'contacts.added[3].email' → ['contacts', 'added', 3, 'email'] */
function splitPath(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

/**
 * After a 400 that names records: marks them `syncError = invalid` (unless edited since the request was built:
 * the edit may be the fix) and drops the outbox, in ONE transaction, so the next sync goes without them.
 * Without named records it only drops the outbox. Resolves the number of records marked; rejects on a Dexie error.
 */
export async function dropOutbox(
  db: LocalDatabase,
  spec: OneToManySpec,
  entry: OutboxEntry,
  problems: NamedProblem[],
): Promise<number> {
  const at = new Date().toISOString()
  return db.transaction('rw', [db.parents, db.children, db.outbox], async () => {
    let marked = 0
    for (const [table, entity] of [
      [db.parents, spec.parent],
      [db.children, spec.child],
    ] as const) {
      const mine = problems.filter((p) => p.plural === entity.plural)
      const reasons = new Map<string, string[]>()
      for (const p of mine) reasons.set(p.uid, [...(reasons.get(p.uid) ?? []), p.message])
      const records = await table.bulkGet([...reasons.keys()])
      const puts = []
      for (const r of records) {
        if (r === undefined || r.rev !== entry.sentRevs[r.uid]) continue
        const reason = (reasons.get(r.uid) ?? []).join('; ')
        puts.push(toStored(refused(r, { code: 'invalid', reason, at }), sortFieldOf(entity)))
      }
      await table.bulkPut(puts)
      marked += puts.length
    }
    const current = await db.outbox.get('current')
    if (current?.request.syncId === entry.request.syncId) await db.outbox.delete('current')
    return marked
  })
}

import { listSendable } from '@offline-sync/sync-client'
import { account, db, spec } from '../../../lib/db.ts'
import { authApi } from '../../../lib/account/auth-api.ts'

/** One record the next sync will send. */
export interface OutgoingRecord {
  entity: 'company' | 'contact'
  uid: string
  /** Server id, or negative for a record the server has not seen. */
  id: number
  label: string
  change: 'added' | 'edited' | 'deleted'
}

/** What the server says about the records I edited or deleted, since my last sync. */
export type ServerCheck =
  | { state: 'ok'; changed: Set<string>; deleted: Set<string> }
  | { state: 'nothing_to_check' }
  /** Never synced, or the server cannot compare with my last sync (reset, or too long ago). */
  | { state: 'unknown' }
  | { state: 'unavailable'; message: string }

const TIMEOUT_MS = 10_000

/**
 * The records the coming syncs send, as the collector decides them (listSendable): pending and not refused, and
 * neither a never-synced record deleted here (it just disappears) nor a contact held back with its company.
 */
export async function readOutgoing(): Promise<OutgoingRecord[]> {
  const sendable = await listSendable(db, spec)
  const label = (entity: OutgoingRecord['entity']) =>
    Object.keys(entity === 'company' ? spec.parent.fields : spec.child.fields)[0] ?? 'uid'
  const rows = [
    ...sendable.parents.map((r) => ({ entity: 'company' as const, r })),
    ...sendable.children.map((r) => ({ entity: 'contact' as const, r })),
  ]
  return rows.map(({ entity, r }) => ({
    entity,
    uid: r.uid,
    id: r.id,
    label: String(r[label(entity)] ?? r.uid),
    change: !r.isActive ? 'deleted' : r.isFromServer ? 'edited' : 'added',
  }))
}

/** Asks POST /api/sync/preview which of my edits and deletes touch records others changed since my last sync. */
export async function checkServer(records: OutgoingRecord[]): Promise<ServerCheck> {
  const known = records.filter((r) => r.id > 0)
  if (known.length === 0) return { state: 'nothing_to_check' }
  const cursor = await db.meta.get('cursor')
  if (typeof cursor?.value !== 'string') return { state: 'unknown' }
  const ids = (entity: OutgoingRecord['entity']) => known.filter((r) => r.entity === entity).map((r) => r.id)
  const body = JSON.stringify({ cursor: cursor.value, parents: ids('company'), children: ids('contact') })
  const post = (token: string | null) =>
    fetch('/api/sync/preview', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Account-Id': String(account.id),
        ...(token === null ? {} : { 'X-CSRF-Token': token }),
      },
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  try {
    let response = await post(await authApi.csrfToken())
    if (response.status === 403) response = await post(await authApi.refreshCsrfToken())
    if (response.status === 401)
      return { state: 'unavailable', message: 'Sign in again to check with the server.' }
    if (!response.ok)
      return { state: 'unavailable', message: `The server could not check (HTTP ${response.status}).` }
    const answer = (await response.json()) as {
      cursorKnown: boolean
      parents?: { changed: number[]; deleted: number[] }
      children?: { changed: number[]; deleted: number[] }
    }
    if (!answer.cursorKnown || !answer.parents || !answer.children) return { state: 'unknown' }
    const uidsOf = (entity: OutgoingRecord['entity'], list: number[]) =>
      known.filter((r) => r.entity === entity && list.includes(r.id)).map((r) => r.uid)
    return {
      state: 'ok',
      changed: new Set([
        ...uidsOf('company', answer.parents.changed),
        ...uidsOf('contact', answer.children.changed),
      ]),
      deleted: new Set([
        ...uidsOf('company', answer.parents.deleted),
        ...uidsOf('contact', answer.children.deleted),
      ]),
    }
  } catch {
    return {
      state: 'unavailable',
      message: navigator.onLine
        ? 'The server could not be reached to check for changes by others.'
        : 'You are offline: changes by others cannot be checked now.',
    }
  }
}

import pg from 'pg'
import type { CompaniesContacts, SyncRequest, SyncResponse } from '@offline-sync/sync-protocol'
import { differences, readServerRows } from '@offline-sync/test-support/compare-state'
import type { NodeDevice } from '@offline-sync/test-support/node-device'
import {
  deviceOverwrites,
  overwriteProblems,
  type AppliedSync,
} from '@offline-sync/test-support/overwrite-oracle'

/** Polls `probe` every 50 ms until it returns something other than undefined; throws after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The records both devices edit: two companies, a contact under the first. Server ids and uids. */
export interface Shared {
  companies: { id: number; uid: string }[]
  contact: { id: number; uid: string }
}

/** Device `a` makes the shared records and syncs; device `b` syncs them down. */
export async function shareRecords(a: NodeDevice, b: NodeDevice): Promise<Shared> {
  const first = await a.writes.create('company', { name: 'Overlap One' })
  await a.writes.create('company', { name: 'Overlap Two' })
  await a.writes.create('contact', { name: 'Olga', companyId: first.id })
  for (const device of [a, b])
    if ((await device.sync()).outcome !== 'synced') throw new Error(`${device.label} could not sync`)
  const companies = (await a.db.parents.toArray())
    .filter((r) => String(r.name).startsWith('Overlap'))
    .sort((x, y) => String(x.name).localeCompare(String(y.name)))
    .map((r) => ({ id: r.id, uid: r.uid }))
  const [contact] = (await a.db.children.toArray()).filter((r) => r.name === 'Olga')
  if (companies.length !== 2 || !contact) throw new Error('the shared records did not sync')
  return { companies, contact: { id: contact.id, uid: contact.uid } }
}

/**
 * One round of edits on one device, overlapping the other device's on purpose: both write `name` of the first
 * company, `address` of the second and the contact's `jobTitle` (same-field clashes, M3–M5); each also writes a
 * field only it touches (kept whatever the order, M1). Device 'a' moves the contact between the companies (its
 * parent key is a field like the others). Every value names its device and round, so no two writes are equal.
 */
export async function editOverlapping(device: NodeDevice, who: 'a' | 'b', round: number, shared: Shared) {
  const [one, two] = shared.companies as [Shared['companies'][0], Shared['companies'][0]]
  const tag = `${who.toUpperCase()}${round}`
  if (who === 'a') {
    await device.writes.update('company', one.uid, { name: `${tag} One`, phone: `+44 100 ${round}` })
    await device.writes.update('company', two.uid, { address: `${tag} street` })
    await device.writes.update('contact', shared.contact.uid, {
      jobTitle: `${tag} buyer`,
      companyId: (round % 2 === 1 ? two : one).id,
    })
  } else {
    await device.writes.update('company', one.uid, { name: `${tag} One`, address: `${tag} road` })
    await device.writes.update('company', two.uid, { address: `${tag} street`, name: `${tag} Two` })
    await device.writes.update('contact', shared.contact.uid, {
      jobTitle: `${tag} seller`,
      email: `${tag.toLowerCase()}@example.test`,
    })
  }
}

/** The cursor Postgres has committed: right after a write whose answer was lost, that write's version (R11). */
export async function committedCursor(directUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: directUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ cursor: string }>(
      'SELECT cursor::text AS cursor FROM "SyncState" WHERE id = 1',
    )
    if (!rows[0]) throw new Error('nothing was ever written')
    return rows[0].cursor
  } finally {
    await client.end()
  }
}

type Req = SyncRequest<CompaniesContacts>
type Res = SyncResponse<CompaniesContacts>

/**
 * The requests the server applied, from the devices' own record of their exchanges: an answer with
 * `replayed: false` is an applied write at its cursor. An answer from a receipt (R9) stands for the attempt that
 * was applied before and whose answer was lost; its version is not in the replay (that carries the current cursor),
 * so the test hands it in `lostAt` (syncId → the cursor read from Postgres right after the lost attempt).
 */
export function appliedSyncs(devices: NodeDevice[], lostAt: ReadonlyMap<string, string>): AppliedSync[] {
  const applied = new Map<string, AppliedSync>()
  for (const device of devices)
    for (const exchange of device.exchanges) {
      const response = exchange.response as unknown as Res | undefined
      if (!response) continue
      const request = exchange.request as unknown as Req
      const key = `${request.deviceId}:${request.syncId}`
      if (!response.replayed) applied.set(key, { request, response })
      else if (!applied.has(key)) {
        const version = lostAt.get(request.syncId)
        if (version === undefined)
          throw new Error(
            `${device.label}: sync ${request.syncId} was replayed, but no lost attempt of it is known`,
          )
        applied.set(key, { request, response: { ...response, cursor: version } })
      }
    }
  return [...applied.values()]
}

/**
 * After the fault: both devices sync until nothing is left, then every check of the fault tests (each device
 * equal to the server, nothing pending) and issue 14's (the overwrite oracle over the applied requests). Resolves
 * the problems in words ([] = none) and what each device keeps, for the test to show the run was not vacuous.
 */
export async function settleAndJudge(
  directUrl: string,
  devices: NodeDevice[],
  lostAt: ReadonlyMap<string, string>,
) {
  for (let round = 0; round < 2; round++)
    for (const device of devices) {
      const report = await device.sync()
      if (report.outcome !== 'synced')
        throw new Error(`${device.label} could not settle: ${JSON.stringify(report.error)}`)
    }
  const rows = await readServerRows(directUrl)
  const problems: string[] = []
  for (const device of devices) problems.push(...(await differences(device, rows)))
  const told = await Promise.all(devices.map(deviceOverwrites))
  problems.push(...overwriteProblems(appliedSyncs(devices, lostAt), rows, told))
  return { problems, rows, kept: told.map((t) => t.kept) }
}

import pg from 'pg'
import type { NodeDevice } from './node-device.ts'

const COMPANY_FIELDS = ['id', 'uid', 'name', 'address', 'phone', 'email', 'website'] as const
const CONTACT_FIELDS = ['id', 'uid', 'companyId', 'name', 'jobTitle', 'email', 'phone'] as const

export type Row = Record<string, unknown>
export interface Rows {
  companies: Row[]
  contacts: Row[]
}

const pick = (record: Row, keys: readonly string[]): Row =>
  Object.fromEntries(keys.map((key) => [key, record[key] ?? null]))

/** Every row of both tables straight from Postgres (not through the API), ordered by uid. */
export async function readServerRows(databaseUrl: string): Promise<Rows> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const companies = await client.query<Row>(
      'SELECT id, uid::text AS uid, name, address, phone, email, website FROM "Company" ORDER BY uid',
    )
    const contacts = await client.query<Row>(
      'SELECT id, uid::text AS uid, "companyId", name, "jobTitle", email, phone FROM "Contact" ORDER BY uid',
    )
    return {
      companies: companies.rows.map((row) => pick(row, COMPANY_FIELDS)),
      contacts: contacts.rows.map((row) => pick(row, CONTACT_FIELDS)),
    }
  } finally {
    await client.end()
  }
}

/** The device's records (tombstones and pending ones included, so nothing can hide) in the server's shape. */
export async function readDeviceRows(
  device: NodeDevice,
): Promise<Rows & { pending: number; outbox: number }> {
  const companies = await device.db.parents.orderBy('uid').toArray()
  const contacts = await device.db.children.orderBy('uid').toArray()
  const dirty = [...companies, ...contacts].filter((r) => !r.isFromServer || r.isModified || !r.isActive)
  return {
    companies: companies.map((row) => pick(row, COMPANY_FIELDS)),
    contacts: contacts.map((row) => pick(row, CONTACT_FIELDS)),
    pending: dirty.length,
    outbox: await device.db.outbox.count(),
  }
}

/**
 * What differs between a device and the server, in words ([] = equal): records only on one side, fields that
 * differ, and records still pending or an outbox still waiting on the device.
 */
export async function differences(device: NodeDevice, server: Rows): Promise<string[]> {
  const mine = await readDeviceRows(device)
  const problems: string[] = []
  if (mine.pending > 0) problems.push(`${device.label}: ${mine.pending} records still pending`)
  if (mine.outbox > 0) problems.push(`${device.label}: the outbox still holds a request`)
  for (const table of ['companies', 'contacts'] as const) {
    const theirs = new Map(server[table].map((row) => [row.uid, row]))
    const ours = new Map(mine[table].map((row) => [row.uid, row]))
    for (const [uid, row] of ours) {
      const other = theirs.get(uid)
      if (!other) problems.push(`${device.label}: ${table} ${String(uid)} is not on the server`)
      else if (JSON.stringify(row) !== JSON.stringify(other))
        problems.push(
          `${device.label}: ${table} ${String(uid)} is ${JSON.stringify(row)}, server ${JSON.stringify(other)}`,
        )
    }
    for (const uid of theirs.keys())
      if (!ours.has(uid)) problems.push(`${device.label}: ${table} ${String(uid)} is missing on the device`)
  }
  return problems
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, type SqlDatabase } from '../src/index.ts'
import {
  body,
  byId,
  count,
  newCompany,
  newContact,
  spec,
  sync,
  syncAndDownload,
  type Engine,
} from './helpers.ts'

const DEVICES = 20

describe.each(testDatabaseKinds())('concurrent syncs on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  it(`rule R11: ${DEVICES} devices syncing overlapping changes at once all succeed; last write by lock order wins; no duplicates`, async () => {
    const seed = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1)] },
        contacts: { added: Array.from({ length: DEVICES }, (_, i) => newContact(-2 - i, -1)) },
      }),
    )
    const companyId = seed.companyIdMap['-1']!
    const company = byId(seed.companies, companyId)!
    const contactAt = (i: number) => byId(seed.contacts, seed.contactIdMap[String(-2 - (i % DEVICES))])!
    const sharedNewUid = randomUUID() // every device "adds" this one: it must exist once

    const requests = Array.from({ length: DEVICES }, (_, i) => {
      const [mine, next] = [contactAt(i), contactAt(i + 1)]
      return body({
        companies: { modified: [{ id: companyId, uid: company.uid, name: `Company by ${i}` }] },
        contacts: {
          added: [
            newContact(-1, companyId, { name: `Own ${i}` }),
            { id: -2, uid: sharedNewUid, name: `Shared by ${i}`, companyId },
          ],
          modified: [mine, next].map((c) => ({ id: c.id, uid: c.uid, name: `Contact by ${i}`, companyId })),
        },
      })
    })
    const responses = await Promise.all(requests.map((wire) => sync(engine, wire)))

    expect(responses.flatMap((r) => r.rejected)).toEqual([])
    const versions = responses.map((r) => BigInt(r.cursor))
    expect(new Set(versions).size).toBe(DEVICES) // serialised: each writer got its own version
    const order = responses
      .map((r, device) => ({ device, version: BigInt(r.cursor) }))
      .sort((a, b) => (a.version < b.version ? -1 : 1))
    const last = order[order.length - 1]!.device
    const rank = new Map(order.map((o, index) => [o.device, index]))

    const final = await syncAndDownload(engine, body())
    expect(byId(final.companies, companyId)).toMatchObject({
      name: `Company by ${last}`,
      version: String(order.at(-1)!.version),
    })
    expect(final.contacts.filter((c) => c.uid === sharedNewUid)).toEqual([
      expect.objectContaining({ name: `Shared by ${last}` }),
    ])
    for (let i = 0; i < DEVICES; i++) {
      expect(await count(db.sql, 'Contact', 'name = $1', [`Own ${i}`])).toBe(1)
      // Contact i was written by devices i and i-1; the one that took the lock later wins.
      const [a, b] = [i, (i + DEVICES - 1) % DEVICES]
      const winner = rank.get(a)! > rank.get(b)! ? a : b
      expect(byId(final.contacts, contactAt(i).id)?.name).toBe(`Contact by ${winner}`)
    }
    expect(await count(db.sql, 'Contact', '"companyId" = $1', [companyId])).toBe(DEVICES + DEVICES + 1)
  })
})

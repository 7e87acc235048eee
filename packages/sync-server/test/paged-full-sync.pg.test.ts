import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { createServerDataSync, InvalidPageError } from '../src/index.ts'
import { encodePageToken } from '../src/page-token.ts'
import {
  body,
  newCompany,
  newContact,
  parsed,
  ref,
  snapshot,
  spec,
  sync,
  syncAndDownload,
  type Engine,
  type Response,
} from './helpers.ts'

type DbHandle = Awaited<ReturnType<typeof createTestDatabase>>
type Row = { id: number; uid: string; version: string } & Record<string, unknown>

/** A device's copy of the server, as the pages and the delta leave it: rows by id per entity. */
class Replica {
  companies = new Map<number, Row>()
  contacts = new Map<number, Row>()
  apply(res: Response) {
    for (const r of res.companies) this.companies.set(r.id, r as unknown as Row)
    for (const r of res.contacts) this.contacts.set(r.id, r as unknown as Row)
    for (const id of res.removed.companies) this.companies.delete(id)
    for (const id of res.removed.contacts) this.contacts.delete(id)
  }
}

describe.each(testDatabaseKinds())('paged full sync on %s', (kind) => {
  let db: DbHandle
  let engine: Engine

  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await db.sql.query('TRUNCATE "Contact", "Company", "Tombstone", "SyncReceipt", "Overwrite", "SyncState"')
    engine = createServerDataSync(spec, db.sql, { page: { records: 4, firstRecords: 2, bytes: 1024 * 1024 } })
  })

  async function seed(companies: number, contactsEach: number) {
    const added = Array.from({ length: companies }, (_, i) => newCompany(-1 - i))
    const contacts = added.flatMap((c, i) =>
      Array.from({ length: contactsEach }, (_, j) => newContact(-1000 - i * contactsEach - j, c.id)),
    )
    return sync(engine, body({ companies: { added }, contacts: { added: contacts } }))
  }

  /** Every page of a download, first to last, from a first answer. */
  async function pages(first: Response, deviceId: string, between?: (n: number) => Promise<void>) {
    const all = [first]
    let next = first.page?.next ?? null
    while (next !== null) {
      if (between) await between(all.length)
      const page = await sync(engine, body({ deviceId, page: next }))
      all.push(page)
      next = page.page?.next ?? null
    }
    return all
  }

  const serverState = async () => ({
    companies: await db.sql.query<{ id: number; version: string; name: string }>(
      'SELECT id, version::text AS version, name FROM "Company" ORDER BY id',
    ),
    contacts: await db.sql.query<{ id: number; version: string; name: string }>(
      'SELECT id, version::text AS version, name FROM "Contact" ORDER BY id',
    ),
  })
  const replicaState = (r: Replica) => ({
    companies: [...r.companies.values()]
      .map(({ id, version, name }) => ({ id, version, name }))
      .sort((a, b) => a.id - b.id),
    contacts: [...r.contacts.values()]
      .map(({ id, version, name }) => ({ id, version, name }))
      .sort((a, b) => a.id - b.id),
  })

  it('rules G1, G3: a download comes page by page within the bounds, parents in list order, then children, each once', async () => {
    await seed(7, 2)
    const deviceId = crypto.randomUUID()
    const first = await sync(engine, body({ deviceId }))
    expect(first.mode).toBe('full')
    expect(first.page?.total).toEqual({ companies: 7, contacts: 14 })
    const all = await pages(first, deviceId)
    expect(all[0]!.companies.length + all[0]!.contacts.length).toBeLessThanOrEqual(2)
    for (const page of all) {
      expect(page.mode).toBe('full')
      expect(page.cursor).toBe(first.cursor)
      expect(page.page?.total).toEqual(first.page?.total)
      expect(page.companies.length + page.contacts.length).toBeGreaterThan(0)
      expect(page.companies.length + page.contacts.length).toBeLessThanOrEqual(4)
    }
    expect(all.at(-1)!.page?.next).toBeNull()
    const companies = all.flatMap((p) => p.companies)
    const contacts = all.flatMap((p) => p.contacts)
    const lastCompanyPage = all.findLastIndex((p) => p.companies.length > 0)
    const firstContactPage = all.findIndex((p) => p.contacts.length > 0)
    expect(lastCompanyPage).toBeLessThan(firstContactPage)
    const listOrder = await db.sql.query<{ id: number }>(
      'SELECT id FROM "Company" ORDER BY left(name, 64), id',
    )
    expect(companies.map((c) => c.id)).toEqual(listOrder.map((r) => r.id))
    expect(contacts.map((c) => c.id)).toEqual([...contacts.map((c) => c.id)].sort((a, b) => a - b))
    expect(new Set(contacts.map((c) => c.id)).size).toBe(14)
  })

  it('rule G1: the byte bound holds with wide rows; a row wider than a page makes a page of one', async () => {
    await seed(1, 0)
    // Wide rows written around the declaration's limits, as an account filling the tables would leave them.
    await db.sql.query(
      `INSERT INTO "Company" (uid, name, address, version) SELECT gen_random_uuid(), 'Wide ' || g, repeat('x', 3000), 1 ` +
        'FROM generate_series(1, 12) AS g',
    )
    await db.sql.query(
      `INSERT INTO "Company" (uid, name, address, version) VALUES (gen_random_uuid(), 'Widest', repeat('y', 20000), 1)`,
    )
    const bytes = 8 * 1024
    const narrow = createServerDataSync(spec, db.sql, { page: { records: 100, firstRecords: 100, bytes } })
    const deviceId = crypto.randomUUID()
    let res = await narrow.sync(parsed(body({ deviceId })))
    const seen: number[] = []
    for (;;) {
      const records = [...res.companies, ...res.contacts]
      const size = records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0)
      if (records.length > 1) expect(size).toBeLessThanOrEqual(bytes)
      else expect(records).toHaveLength(1)
      seen.push(...records.map((r) => r.id))
      if (res.page?.next == null) break
      res = await narrow.sync(parsed(body({ deviceId, page: res.page.next })))
    }
    expect(seen.sort((a, b) => a - b)).toEqual(
      (await db.sql.query<{ id: number }>('SELECT id FROM "Company" ORDER BY id')).map((r) => r.id),
    )
  })

  it('rule G2: an add, an edit and a delete between two pages are neither lost nor doubled once the delta from C is applied', async () => {
    const seeded = await seed(6, 1)
    const ids = Object.values(seeded.companyIdMap)
    const rows = await db.sql.query<{ id: number; uid: string }>(
      'SELECT id, uid::text FROM "Company" ORDER BY id',
    )
    const other = crypto.randomUUID()
    const deviceId = crypto.randomUUID()
    const first = await sync(engine, body({ deviceId }))
    const replica = new Replica()
    const all = await pages(first, deviceId, async (n) => {
      if (n !== 1) return
      // After the first page: another device adds, edits one company not yet sent and deletes another.
      const [edited, deleted] = rows.filter((r) => !first.companies.some((c) => c.id === r.id))
      await sync(
        engine,
        body({
          deviceId: other,
          cursor: first.cursor,
          companies: {
            added: [newCompany(-1, { name: 'AAA added meanwhile' })],
            modified: [{ ...ref(edited!), base: first.cursor, name: 'AAA edited meanwhile' }],
            deleted: [{ ...ref(deleted!), base: first.cursor }],
          },
        }),
      )
    })
    for (const page of all) replica.apply(page)
    // The pages hold only the snapshot: the edit, the add and the delete are not in them (G2).
    expect(all.flatMap((p) => p.companies).every((c) => BigInt(c.version) <= BigInt(first.cursor))).toBe(true)
    const ids2 = all.flatMap((p) => p.companies.map((c) => c.id))
    expect(new Set(ids2).size).toBe(ids2.length)
    // G5: the delta from C brings them.
    replica.apply(await sync(engine, body({ deviceId, cursor: first.cursor })))
    expect(replicaState(replica)).toEqual(await serverState())
    expect(ids.length).toBe(6)
  })

  it('rule G2 (property): random writes between random pages never lose or double a row', async () => {
    let seedValue = 20261202
    const random = () => (seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 4; round++) {
      await db.sql.query('TRUNCATE "Contact", "Company", "Tombstone", "SyncReceipt", "Overwrite"')
      await seed(5 + Math.floor(random() * 6), 2)
      const deviceId = crypto.randomUUID()
      const writer = crypto.randomUUID()
      const replica = new Replica()
      const first = await sync(engine, body({ deviceId }))
      let nextId = -1
      const all = await pages(first, deviceId, async () => {
        const companies = await db.sql.query<{ id: number; uid: string; version: string }>(
          'SELECT id, uid::text, version::text FROM "Company" ORDER BY random()',
        )
        const contacts = await db.sql.query<{ id: number; uid: string; version: string }>(
          'SELECT id, uid::text, version::text FROM "Contact" ORDER BY random()',
        )
        const pick = <T>(list: T[]) => list.splice(Math.floor(random() * list.length), 1)
        const edit = random() < 0.7 ? pick(companies) : []
        const gone = random() < 0.5 ? pick(companies) : []
        const editContact = random() < 0.7 ? pick(contacts) : []
        const parentId = companies[0]?.id
        await sync(
          engine,
          body({
            deviceId: writer,
            companies: {
              added: random() < 0.7 ? [newCompany(nextId--, { name: `${random()}` })] : [],
              modified: edit.map((r) => ({ ...ref(r), base: r.version, name: `edited ${random()}` })),
              deleted: gone.map((r) => ({ ...ref(r), base: r.version })),
            },
            contacts: {
              added: parentId && random() < 0.7 ? [newContact(nextId--, parentId)] : [],
              modified: editContact.map((r) => ({ ...ref(r), base: r.version, name: `edited ${random()}` })),
            },
          }),
        )
      })
      for (const page of all) replica.apply(page)
      for (const page of all) {
        for (const r of [...page.companies, ...page.contacts])
          expect(BigInt(r.version)).toBeLessThanOrEqual(BigInt(first.cursor))
      }
      replica.apply(await sync(engine, body({ deviceId, cursor: first.cursor })))
      expect(replicaState(replica)).toEqual(await serverState())
    }
  })

  it('rule G4: a token the server cannot read, or a page asked with changes or a cursor, is refused and changes nothing', async () => {
    await seed(5, 1)
    const first = await sync(engine, body())
    const token = first.page!.next!
    const before = await snapshot(db.sql)
    const bad = [
      'A',
      `${token}A`,
      token.slice(0, 20),
      `B${token.slice(1)}`, // another format byte
      Buffer.from([1, 7, ...new Array<number>(20).fill(0)]).toString('base64url'), // unknown entity
      encodePageToken({
        cursor: '1',
        total: { parents: 1, children: 1 },
        entity: 'children',
        after: { key: 'x', id: 3 },
      }), // a sort key on a child position
      Buffer.concat([
        Buffer.from([1, 0, ...new Array<number>(20).fill(0)]),
        Buffer.from([0xff, 0xfe]),
      ]).toString('base64url'), // not UTF-8
    ]
    for (const page of bad)
      await expect(engine.sync({ ...parsed(body()), page })).rejects.toBeInstanceOf(InvalidPageError)
    await expect(
      engine.sync(parsed({ ...body({ companies: { added: [newCompany(-1)] } }), page: token })),
    ).rejects.toBeInstanceOf(InvalidPageError)
    await expect(
      engine.sync(parsed({ ...body({ cursor: first.cursor }), page: token })),
    ).rejects.toBeInstanceOf(InvalidPageError)
    expect(await snapshot(db.sql)).toEqual(before)
  })

  it('rule G6: a token pinned below the pruned tombstones starts a new download', async () => {
    const seeded = await seed(5, 0)
    const deviceId = crypto.randomUUID()
    const first = await sync(engine, body({ deviceId }))
    const [row] = await db.sql.query<{ id: number; uid: string; version: string }>(
      'SELECT id, uid::text, version::text FROM "Company" ORDER BY id LIMIT 1',
    )
    await sync(engine, body({ companies: { deleted: [{ ...ref(row!), base: row!.version }] } }))
    // The delete's tombstone expires and is pruned: the floor passes C.
    await db.sql.query(`UPDATE "Tombstone" SET "deletedAt" = now() - interval '40 days'`)
    await engine.prune()
    const res = await sync(engine, body({ deviceId, page: first.page!.next! }))
    expect(BigInt(res.cursor)).toBeGreaterThan(BigInt(first.cursor))
    expect(res.page?.total).toEqual({ companies: 4, contacts: 0 })
    // A first page again: the list's first companies, within the first page's bound.
    const listOrder = await db.sql.query<{ id: number }>(
      'SELECT id FROM "Company" ORDER BY left(name, 64), id LIMIT 2',
    )
    expect(res.companies.map((c) => c.id)).toEqual(listOrder.map((r) => r.id))
    expect(seeded.replayed).toBe(false)
  })

  it('rules G7, G8: a first upload of N records without a cursor gets N acknowledgements, no records and a token', async () => {
    const res = await seed(30, 3)
    expect(res.mode).toBe('full')
    expect(res.companies).toEqual([])
    expect(res.contacts).toEqual([])
    expect(res.written.companies).toHaveLength(30)
    expect(res.written.contacts).toHaveLength(90)
    expect(new Set(res.written.companies.map((a) => a.id))).toEqual(new Set(Object.values(res.companyIdMap)))
    for (const ack of [...res.written.companies, ...res.written.contacts])
      expect(ack.version).toBe(res.cursor)
    expect(res.page).toEqual({ next: expect.any(String), total: { companies: 30, contacts: 90 } })
    // G8: the token is the first page of a download pinned at this sync's version.
    const rest = await syncAndDownload(engine, body())
    expect(rest.cursor).toBe(res.cursor)
    const download = await pages(res, crypto.randomUUID())
    expect(download.every((p) => p.cursor === res.cursor)).toBe(true)
    expect(download.flatMap((p) => [...p.companies, ...p.contacts])).toHaveLength(120)
  })

  it('rule G7: a modify is acknowledged when the device holds every field; a field written by another after its cursor sends the record', async () => {
    const a = crypto.randomUUID()
    const b = crypto.randomUUID()
    const seeded = await seed(2, 0)
    const [one, two] = await db.sql.query<{ id: number; uid: string; version: string }>(
      'SELECT id, uid::text, version::text FROM "Company" ORDER BY id',
    )
    // B changes two's phone after A's cursor.
    await sync(
      engine,
      body({ deviceId: b, companies: { modified: [{ ...ref(two!), base: two!.version, phone: '555' }] } }),
    )
    const wire = body({
      deviceId: a,
      cursor: seeded.cursor,
      companies: {
        modified: [
          { ...ref(one!), base: one!.version, name: 'A renamed one' },
          { ...ref(two!), base: two!.version, name: 'A renamed two' },
        ],
      },
    })
    const res = await sync(engine, wire)
    expect(res.written.companies.map((w) => w.id)).toEqual([one!.id])
    expect(res.companies.map((c) => [c.id, c.name, c.phone])).toEqual([[two!.id, 'A renamed two', '555']])
    // R9: the resend answers the same way.
    const again = await sync(engine, wire)
    expect(again.replayed).toBe(true)
    expect(again.written).toEqual(res.written)
    expect(again.companies).toEqual(res.companies)
    // Once another sync changes the acknowledged record, a resend sends it in full instead.
    await sync(
      engine,
      body({ deviceId: b, companies: { modified: [{ ...ref(one!), base: res.cursor, phone: '777' }] } }),
    )
    const later = await sync(engine, wire)
    expect(later.written.companies).toEqual([])
    expect(later.companies.find((c) => c.id === one!.id)).toMatchObject({
      name: 'A renamed one',
      phone: '777',
    })
  })
})

/** Rule G3 for another declaration: the engine pages any parent/child pair, not only companies and contacts. */
describe.each(testDatabaseKinds())('paging a second parent/child pair on %s', (kind) => {
  let db: DbHandle
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    await db.sql.query(`CREATE TABLE "Shelf" (id serial PRIMARY KEY, uid uuid NOT NULL UNIQUE, label text,
      "createdAt" timestamptz(3) NOT NULL DEFAULT now(), "updatedAt" timestamptz(3) NOT NULL DEFAULT now(),
      version bigint NOT NULL, "fieldVersions" jsonb NOT NULL DEFAULT '{}')`)
    await db.sql.query(`CREATE TABLE "Book" (id serial PRIMARY KEY, uid uuid NOT NULL UNIQUE,
      "shelfId" integer NOT NULL REFERENCES "Shelf" (id) ON DELETE CASCADE, title text NOT NULL,
      "createdAt" timestamptz(3) NOT NULL DEFAULT now(), "updatedAt" timestamptz(3) NOT NULL DEFAULT now(),
      version bigint NOT NULL, "fieldVersions" jsonb NOT NULL DEFAULT '{}')`)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('walks Shelf (an optional sort field, nulls first) then Book, each row once', async () => {
    const { defineOneToMany, text, PROTOCOL_VERSION } = await import('@offline-sync/sync-protocol')
    const shelvesBooks = defineOneToMany({
      parent: { name: 'shelf', plural: 'shelves', table: 'Shelf', fields: { label: text('Label', 100) } },
      child: {
        name: 'book',
        plural: 'books',
        table: 'Book',
        parentKey: 'shelfId',
        fields: { title: text('Title', 100, { required: true }) },
      },
    })
    const engine = createServerDataSync(shelvesBooks, db.sql, { page: { records: 3, firstRecords: 1 } })
    const none = { added: [], modified: [], deleted: [] }
    const shelves = Array.from({ length: 5 }, (_, i) => ({
      id: -1 - i,
      uid: crypto.randomUUID(),
      label: i % 2 ? `Shelf ${i}` : null,
    }))
    const books = shelves.map((s, i) => ({
      id: -100 - i,
      uid: crypto.randomUUID(),
      title: `Book ${i}`,
      shelfId: s.id,
    }))
    const request = (extra: object) => ({
      protocolVersion: PROTOCOL_VERSION,
      deviceId: crypto.randomUUID(),
      syncId: crypto.randomUUID(),
      shelves: none,
      books: none,
      ...extra,
    })
    const written = await engine.sync(
      request({ shelves: { ...none, added: shelves }, books: { ...none, added: books } }),
    )
    expect(written.written.shelves).toHaveLength(5)
    let next: string | null = written.page!.next
    const seen: { shelves: number[]; books: number[] } = { shelves: [], books: [] }
    while (next !== null) {
      const page: typeof written = await engine.sync(request({ page: next }))
      expect(page.shelves.length + page.books.length).toBeLessThanOrEqual(3)
      seen.shelves.push(...page.shelves.map((s) => s.id))
      seen.books.push(...page.books.map((b) => b.id))
      next = page.page!.next
    }
    const order = await db.sql.query<{ id: number }>(
      `SELECT id FROM "Shelf" ORDER BY left(COALESCE(label, ''), 64), id`,
    )
    expect(seen.shelves).toEqual(order.map((r) => r.id))
    expect(seen.books).toEqual([...seen.books].sort((x, y) => x - y))
    expect(seen.books).toHaveLength(5)
  })
})

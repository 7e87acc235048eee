import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import {
  createPreviewChanges,
  createServerDataSync,
  parsePreviewRequest,
  type PreviewChanges,
  type SqlDatabase,
} from '../src/index.ts'
import { body, byId, newCompany, newContact, ref, spec, syncAndDownload, type Engine } from './helpers.ts'

describe.each(testDatabaseKinds())('pre-sync preview on %s', (kind) => {
  let db: { sql: SqlDatabase; close(): Promise<void> }
  let engine: Engine
  let preview: PreviewChanges
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    engine = createServerDataSync(spec, db.sql, { tombstoneRetentionDays: 30, receiptRetentionDays: 30 })
    preview = createPreviewChanges(spec, db.sql)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('names the records changed or deleted on the server after the cursor, and only those', async () => {
    const seed = await syncAndDownload(
      engine,
      body({
        companies: { added: [newCompany(-1), newCompany(-2), newCompany(-3)] },
        contacts: { added: [newContact(-4, -1), newContact(-5, -2)] },
      }),
    )
    const [a, b, c] = ['-1', '-2', '-3'].map((id) => byId(seed.companies, seed.companyIdMap[id])!)
    const [ca, cb] = ['-4', '-5'].map((id) => byId(seed.contacts, seed.contactIdMap[id])!)
    const mine = await syncAndDownload(engine, body()) // this device's last sync
    const ids = { parents: [a!.id, b!.id, c!.id], children: [ca!.id, cb!.id] }

    const before = await preview.preview({ cursor: mine.cursor, ...ids })
    expect(before).toEqual({
      cursorKnown: true,
      cursor: mine.cursor,
      parents: { changed: [], deleted: [] },
      children: { changed: [], deleted: [] },
    })

    // Another device edits a, deletes c, and edits contact cb.
    await syncAndDownload(
      engine,
      body({ companies: { modified: [{ ...ref(a!), name: 'Edited elsewhere' }] } }),
    )
    await syncAndDownload(engine, body({ companies: { deleted: [ref(c!)] } }))
    await syncAndDownload(
      engine,
      body({ contacts: { modified: [{ ...ref(cb!), name: 'Moved on', companyId: b!.id }] } }),
    )

    const after = await preview.preview({ cursor: mine.cursor, ...ids })
    expect(after).toMatchObject({
      cursorKnown: true,
      parents: { changed: [a!.id], deleted: [c!.id] },
      children: { changed: [cb!.id], deleted: [] },
    })
    expect(BigInt((after as { cursor: string }).cursor)).toBeGreaterThan(BigInt(mine.cursor))

    // A device that synced after those writes sees nothing to worry about; ids it did not ask for never appear.
    const latest = await syncAndDownload(engine, body({ cursor: mine.cursor }))
    expect(await preview.preview({ cursor: latest.cursor, ...ids })).toMatchObject({
      parents: { changed: [], deleted: [] },
      children: { changed: [], deleted: [] },
    })
    expect(await preview.preview({ cursor: mine.cursor, parents: [b!.id], children: [] })).toMatchObject({
      parents: { changed: [], deleted: [] },
    })
  })

  it('says when the cursor cannot be compared: none, or from the future', async () => {
    expect(await preview.preview({ cursor: null, parents: [1], children: [] })).toEqual({
      cursorKnown: false,
      reason: 'no_cursor',
    })
    expect(await preview.preview({ cursor: '999999999999', parents: [1], children: [] })).toEqual({
      cursorKnown: false,
      reason: 'unknown_cursor',
    })
  })

  it('is read-only: the cursor and the data stay as they were', async () => {
    const first = await syncAndDownload(engine, body())
    await preview.preview({ cursor: first.cursor, parents: [1, 2], children: [3] })
    const second = await syncAndDownload(engine, body({ cursor: first.cursor }))
    expect(second.cursor).toBe(first.cursor)
  })
})

describe('parsePreviewRequest', () => {
  it('accepts a cursor and id lists, defaulting missing lists to empty', () => {
    expect(parsePreviewRequest({ cursor: '12', parents: [1, 2] })).toEqual({
      ok: true,
      value: { cursor: '12', parents: [1, 2], children: [] },
    })
    expect(parsePreviewRequest({ cursor: null })).toMatchObject({ ok: true, value: { cursor: null } })
  })

  it.each([
    ['not an object', [1, 2], []],
    ['a cursor that is not decimal', { cursor: '1; DROP' }, ['cursor']],
    ['a cursor beyond bigint', { cursor: '9999999999999999999' }, ['cursor']],
    ['a negative id (a record the server has not seen)', { cursor: '1', parents: [-1] }, ['parents', '0']],
    ['ids that are not integers', { cursor: '1', children: ['7'] }, ['children', '0']],
    ['a list that is not an array', { cursor: '1', parents: 'all' }, ['parents']],
  ])('refuses %s, naming where', (_what, input, path) => {
    const result = parsePreviewRequest(input)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid')
      expect(result.error.details[0]!.path).toEqual(path)
    }
  })
})

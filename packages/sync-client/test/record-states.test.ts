import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  acknowledged,
  created,
  deleted,
  edited,
  fromServer,
  isPending,
  readded,
  rebased,
  refused,
  retried,
  reverted,
  stateOf,
  type RecordState,
} from '../src/record-states.ts'
import type { LocalRecord } from '../src/local-database.ts'

/** The table of local-database.ts / record-states.ts: each state's flags (`null`: any). */
const TABLE: Record<RecordState, { isFromServer: boolean; isModified: boolean | null; isActive: boolean }> = {
  synced: { isFromServer: true, isModified: false, isActive: true },
  added: { isFromServer: false, isModified: false, isActive: true },
  edited: { isFromServer: true, isModified: true, isActive: true },
  deleted: { isFromServer: true, isModified: null, isActive: false },
  addDeleted: { isFromServer: false, isModified: false, isActive: false },
}

const inTable = (r: LocalRecord) =>
  Object.values(TABLE).some(
    (row) =>
      row.isFromServer === r.isFromServer &&
      row.isActive === r.isActive &&
      (row.isModified === null || row.isModified === r.isModified),
  )

const syncError = fc.option(
  fc.record({
    code: fc.constantFrom('invalid', 'not_found', 'parent_not_found'),
    reason: fc.string(),
    at: fc.string(),
  }),
  { nil: null },
)

/** A record in one of the five states, with fields and history. */
const recordIn = (state: RecordState) =>
  fc
    .record({
      uid: fc.uuid(),
      serverId: fc.integer({ min: 1, max: 1_000_000 }),
      localId: fc.integer({ min: -1_000_000, max: -1 }),
      name: fc.string(),
      rev: fc.nat({ max: 1_000 }),
      syncError,
      modified: fc.boolean(),
    })
    .map(({ uid, serverId, localId, name, rev, syncError, modified }): LocalRecord => {
      const row = TABLE[state]
      return {
        uid,
        id: row.isFromServer ? serverId : localId,
        name,
        isFromServer: row.isFromServer,
        isModified: row.isModified ?? modified,
        isActive: row.isActive,
        rev,
        syncError,
      }
    })

const anyRecord = fc.constantFrom(...(Object.keys(TABLE) as RecordState[])).chain(recordIn)

type Step = (r: LocalRecord) => LocalRecord | null

/** Each named transition, applied only where the engine applies it (null: not from this state). */
const STEPS: Record<string, Step> = {
  edited: (r) => (r.isActive ? edited(r, { name: `${String(r.name)}!` }) : null),
  deleted: (r) => (r.isActive ? deleted(r) : null),
  reverted: (r) => (r.isFromServer ? reverted(r) : null),
  retried: (r) => retried(r),
  refused: (r) => refused(r, { code: 'invalid', reason: 'no', at: 'now' }),
  readded: (r) => (r.isActive && r.isFromServer ? readded(r, -7) : null),
  acknowledged: (r) => (r.isActive && stateOf(r) !== 'synced' ? acknowledged(r, r.id > 0 ? r.id : 99) : null),
  rebased: (r) => (r.isActive && !r.isFromServer ? rebased(r, 99) : null),
}

describe('record states (the five of local-database.ts, one module)', () => {
  it('every sequence of transitions keeps a record in one of the five tabled states', () => {
    fc.assert(
      fc.property(
        anyRecord,
        fc.array(fc.constantFrom(...Object.keys(STEPS)), { maxLength: 12 }),
        (start, names) => {
          let record = start
          for (const name of names) {
            record = STEPS[name]!(record) ?? record
            expect(inTable(record)).toBe(true)
            // An add is never "modified": editing it keeps it an add.
            if (!record.isFromServer) expect(record.isModified).toBe(false)
            expect(isPending(record)).toBe(stateOf(record) !== 'synced')
          }
        },
      ),
    )
  })

  it('a local write bumps rev by one and clears the refusal; nothing else but flags and id changes', () => {
    fc.assert(
      fc.property(anyRecord, fc.constantFrom('edited', 'deleted', 'reverted', 'retried'), (record, name) => {
        const next = STEPS[name]!(record)
        fc.pre(next !== null)
        expect(next!.rev).toBe(record.rev + 1)
        expect(next!.syncError).toBeNull()
        expect(next!.uid).toBe(record.uid)
        expect(next!.id).toBe(record.id)
      }),
    )
  })

  it('each transition lands in its state', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        if (record.isActive) {
          expect(stateOf(edited(record))).toBe(record.isFromServer ? 'edited' : 'added')
          expect(stateOf(deleted(record))).toBe(record.isFromServer ? 'deleted' : 'addDeleted')
          expect(stateOf(acknowledged(record, 5))).toBe('synced')
          expect(stateOf(rebased(record, 5))).toBe('edited')
          expect(stateOf(readded(record, -3))).toBe('added')
          expect(readded(record, -3).id).toBe(-3)
        }
        if (record.isFromServer) expect(stateOf(reverted(record))).toBe('synced')
        // A refusal changes no state and keeps rev: the server's answer is not a local write.
        const r = refused(record, { code: 'not_found', reason: 'gone', at: 'now' })
        expect([stateOf(r), r.rev, r.syncError?.code]).toEqual([stateOf(record), record.rev, 'not_found'])
      }),
    )
  })

  it('a created record is an add with rev 1; a record from the server is synced with no history', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: -1 }), (id) => {
        const meta = created(id)
        expect(stateOf(meta)).toBe('added')
        expect(meta).toMatchObject({ id, rev: 1, syncError: null })
      }),
    )
    const server = fromServer({ id: 4, uid: 'u', isFromServer: true, isModified: false, isActive: true })
    expect(stateOf(server)).toBe('synced')
    expect(server).toMatchObject({ rev: 0, syncError: null })
  })

  it('reads flags outside the table as the nearest state', () => {
    expect(stateOf({ isFromServer: false, isModified: true, isActive: true })).toBe('added')
    expect(stateOf({ isFromServer: true, isModified: true, isActive: false })).toBe('deleted')
  })
})

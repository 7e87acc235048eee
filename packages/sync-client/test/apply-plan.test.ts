import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { settle } from '../src/apply-plan.ts'
import { isPending, stateOf } from '../src/record-states.ts'
import type { StoredRecord } from '../src/stored-record.ts'

/** A pending record (any state but synced) and what the response says about it. */
const pendingRecord = fc
  .record({
    uid: fc.uuid(),
    isFromServer: fc.boolean(),
    isModified: fc.boolean(),
    isActive: fc.boolean(),
    serverId: fc.integer({ min: 1, max: 1_000 }),
    localId: fc.integer({ min: -1_000, max: -1 }),
    rev: fc.integer({ min: 1, max: 50 }),
  })
  .map(({ uid, isFromServer, isModified, isActive, serverId, localId, rev }): StoredRecord => ({
    uid,
    id: isFromServer ? serverId : localId,
    isFromServer,
    // Flags as the five states allow: an add is never modified.
    isModified: isFromServer && isModified,
    isActive,
    rev,
    syncError: null,
  }))
  .filter((r) => isPending(r))

const context = (record: StoredRecord) =>
  fc.record({
    sentRev: fc.constantFrom(undefined, record.rev, record.rev - 1),
    rejection: fc.option(
      fc.constantFrom('not_found', 'already_deleted', 'parent_not_found', 'invalid').map((code) => ({
        entity: 'company',
        id: record.id,
        uid: record.uid,
        code: code as 'not_found',
        reason: 'r',
      })),
      { nil: undefined },
    ),
    mappedId:
      record.id < 0
        ? fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: undefined })
        : fc.constant(undefined),
    returned: fc.boolean(),
    at: fc.constant('2026-01-01T00:00:00.000Z'),
  })

describe('apply plan: settle (pure)', () => {
  it('leaves every pending record in one of the five states, same uid, or gives it up to the server / drops it', () => {
    fc.assert(
      fc.property(
        pendingRecord.chain((record) => fc.tuple(fc.constant(record), context(record))),
        ([record, ctx]) => {
          const outcome = settle(record, ctx)
          if (outcome === 'server' || outcome === 'drop') return
          expect(outcome.uid).toBe(record.uid)
          expect(stateOf(outcome)).toBeDefined()
          if (!outcome.isFromServer) expect(outcome.isModified).toBe(false)
          // Not covered by the request: the local change is kept pending (rebased), never lost.
          if (ctx.sentRev !== record.rev) expect(isPending(outcome)).toBe(true)
        },
      ),
    )
  })

  it('a covered add the server applied (delta) becomes the synced record under its server id', () => {
    const record: StoredRecord = {
      uid: '4b0c1e2a-9d7f-4e51-8a36-0f2d5c7b9e14',
      id: -3,
      isFromServer: false,
      isModified: false,
      isActive: true,
      rev: 2,
      syncError: null,
    }
    const ctx = { sentRev: 2, rejection: undefined, mappedId: 41, returned: false, at: 'now' }
    expect(settle(record, ctx)).toMatchObject({
      id: 41,
      isFromServer: true,
      isModified: false,
      isActive: true,
    })
    // Edited again while in flight: it stays pending, now as an edit of the server's record.
    expect(settle({ ...record, rev: 3 }, ctx)).toMatchObject({ id: 41, isFromServer: true, isModified: true })
  })
})

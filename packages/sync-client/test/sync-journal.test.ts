import { afterEach, describe, expect, it } from 'vitest'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { createSyncJournal, type SyncJournal } from '../src/sync-journal.ts'
import { SyncFailure, type Transport } from '../src/transport.ts'
import { emptyResponse, fakeIndexedDb, makeDevice, spec } from './helpers.ts'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const done of cleanup.splice(0)) await done()
})

function journalFor(name: string, opts: { maxEntries?: number; maxRecordsPerEntry?: number } = {}) {
  const journal = createSyncJournal(name, { ...opts, dexie: fakeIndexedDb })
  cleanup.push(() => journal.db.delete())
  return journal
}

/** A device whose engine writes every finished sync to `journal`; the server is a list of scripted answers. */
function device(journal: SyncJournal, answers: unknown[]) {
  const d = makeDevice('journal')
  cleanup.push(() => d.db.delete())
  const transport: Transport = async () => {
    const next = answers.shift()
    if (next instanceof Error) throw next
    return next
  }
  const engine = createSyncEngine({
    db: d.db,
    spec,
    transport,
    lock: memorySyncLock(),
    onSyncFinished: (report) => journal.record(report, { sent: 100, received: 200 }).then(() => undefined),
  })
  return { ...d, engine }
}

const delta = (extra: Record<string, unknown>) => ({ ...emptyResponse('5'), mode: 'delta', ...extra })

describe('sync journal', () => {
  it('records what was sent, the id remaps and the rejections, by record and label', async () => {
    const journal = journalFor(`j-${crypto.randomUUID()}`)
    const answers: unknown[] = []
    const d = device(journal, answers)
    const acme = await d.writes.create('company', { name: 'Acme' })
    const ann = await d.writes.create('contact', { name: 'Ann', companyId: acme.id })
    answers.push(
      delta({
        companyIdMap: { [String(acme.id)]: 42 },
        rejected: [
          { entity: 'contact', id: ann.id, uid: ann.uid, code: 'invalid', reason: 'Ann is not allowed here' },
        ],
      }),
    )

    const report = await d.engine.sync('manual')
    expect(report.outcome).toBe('synced')

    const [entry] = await journal.list()
    expect(entry).toMatchObject({
      syncId: report.syncId,
      trigger: 'manual',
      outcome: 'rejected',
      sent: { companies: { added: 1, edited: 0, deleted: 0 }, contacts: { added: 1, edited: 0, deleted: 0 } },
      bytes: { sent: 100, received: 200 },
      error: null,
    })
    expect(entry!.records).toEqual([
      { entity: 'company', uid: acme.uid, label: 'Acme', change: 'added' },
      { entity: 'contact', uid: ann.uid, label: 'Ann', change: 'added' },
    ])
    expect(entry!.remaps).toEqual([
      { entity: 'company', uid: acme.uid, label: 'Acme', localId: acme.id, serverId: 42 },
    ])
    expect(entry!.rejected).toEqual([
      {
        entity: 'contact',
        uid: ann.uid,
        id: ann.id,
        label: 'Ann',
        code: 'invalid',
        reason: 'Ann is not allowed here',
      },
    ])
  })

  it('labels a delete from the local tombstone and records a failed sync with its kind and message', async () => {
    const journal = journalFor(`j-${crypto.randomUUID()}`)
    const answers: unknown[] = []
    const d = device(journal, answers)
    const co = await d.writes.create('company', { name: 'Gone Ltd' })
    answers.push(delta({ companyIdMap: { [String(co.id)]: 7 } }))
    await d.engine.sync('startup')
    await d.writes.remove('company', co.uid)
    answers.push(new SyncFailure('offline', 'No network connection'))
    const failed = await d.engine.sync('online')
    expect(failed.outcome).toBe('failed')

    const [newest, older] = await journal.list()
    expect(older).toMatchObject({ trigger: 'startup', outcome: 'ok' })
    expect(newest).toMatchObject({
      trigger: 'online',
      outcome: 'failed',
      error: { kind: 'offline', message: 'No network connection' },
      sent: { companies: { added: 0, edited: 0, deleted: 1 } },
      remaps: [],
    })
    expect(newest!.records).toEqual([
      { entity: 'company', uid: co.uid, label: 'Gone Ltd', change: 'deleted' },
    ])
  })

  it('keeps only the newest entries and caps the records listed per entry', async () => {
    const journal = journalFor(`j-${crypto.randomUUID()}`, { maxEntries: 3, maxRecordsPerEntry: 2 })
    const answers: unknown[] = []
    const d = device(journal, answers)
    for (let i = 0; i < 5; i++) answers.push(delta({}))
    const reports = []
    for (let i = 0; i < 5; i++) reports.push(await d.engine.sync('manual'))

    const entries = await journal.list()
    expect(entries.map((e) => e.syncId)).toEqual(
      reports
        .slice(2)
        .map((r) => r.syncId)
        .reverse(),
    )
    expect(await journal.db.entries.count()).toBe(3)

    const big = journalFor(`j-${crypto.randomUUID()}`, { maxRecordsPerEntry: 2 })
    const d2 = device(big, [delta({})])
    for (const name of ['A', 'B', 'C']) await d2.writes.create('company', { name })
    await d2.engine.sync('manual')
    const [entry] = await big.list()
    // Pending records are collected in uid order (random here): any two of the three are listed.
    const listed = entry!.records.map((r) => r.label)
    expect(listed).toHaveLength(2)
    expect(new Set(listed).size).toBe(2)
    expect(listed.every((label) => ['A', 'B', 'C'].includes(label!))).toBe(true)
    expect(entry!.recordsLeftOut).toBe(1)
    expect(entry!.sent['companies']).toEqual({ added: 3, edited: 0, deleted: 0 })
  })

  it('survives closing and reopening the database', async () => {
    const name = `j-${crypto.randomUUID()}`
    const journal = journalFor(name)
    const d = device(journal, [delta({})])
    await d.writes.create('company', { name: 'Kept' })
    const report = await d.engine.sync('manual')
    journal.db.close()

    const reopened = journalFor(name)
    const [entry] = await reopened.list()
    expect(entry).toMatchObject({ syncId: report.syncId, records: [{ label: 'Kept', change: 'added' }] })
    expect(await reopened.get(entry!.seq!)).toEqual(entry)
  })

  it('a journal that cannot write does not turn a sync into a failure', async () => {
    const d = makeDevice('journal')
    cleanup.push(() => d.db.delete())
    const engine = createSyncEngine({
      db: d.db,
      spec,
      transport: async () => delta({}),
      lock: memorySyncLock(),
      onSyncFinished: () => Promise.reject(new Error('journal full')),
    })
    await d.writes.create('company', { name: 'X' })
    const report = await engine.sync('manual')
    expect(report).toMatchObject({ outcome: 'synced', sent: { companies: { added: 1 } } })
    expect(report.error).toBeUndefined()
  })
})

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseKinds } from '@offline-sync/db/testing'
import { defineOneToMany, text } from '@offline-sync/sync-protocol'
import { createServerDataSync, type SqlDatabase } from '@offline-sync/sync-server'
import { DELETED_ELSEWHERE } from '../src/apply-response.ts'
import { createAttentionActions } from '../src/attention-actions.ts'
import { listOverwrites } from '../src/overwrite-notices.ts'
import { createLocalDatabase } from '../src/local-database.ts'
import { createLocalWrites } from '../src/local-writes.ts'
import { createSyncEngine } from '../src/sync-engine.ts'
import { memorySyncLock } from '../src/sync-lock.ts'
import { fromStored } from '../src/stored-record.ts'
import { fakeIndexedDb } from './helpers.ts'
import { inProcessTransport } from './round-trip-harness.ts'

/*
 * The engines know nothing of companies and contacts: a second pair, declared the way an adopter would, syncs
 * through the same server engine, client engine and attention actions with no change to any of them. Its tables sit
 * next to the app's in the same database and share the change cursor, tombstones and receipts.
 */
const projectsTasks = defineOneToMany({
  parent: {
    name: 'project',
    plural: 'projects',
    table: 'Project',
    fields: {
      title: text('Title', 120, { required: true }),
      client: text('Client', 200),
    },
  },
  child: {
    name: 'task',
    plural: 'tasks',
    table: 'Task',
    parentKey: 'projectId',
    fields: {
      title: text('Title', 200, { required: true }),
      status: text('Status', 20),
      contactEmail: text('Contact email', 320, { format: 'email' }),
    },
  },
})

/** The columns the engines expect (as README "Adopting the engines" lists them), written as an adopter's migration. */
const TABLES = [
  `CREATE TABLE "Project" (id serial PRIMARY KEY, uid uuid NOT NULL UNIQUE, title text NOT NULL, client text,
     "createdAt" timestamptz(3) NOT NULL DEFAULT now(), "updatedAt" timestamptz(3) NOT NULL DEFAULT now(),
     version bigint NOT NULL, "fieldVersions" jsonb NOT NULL DEFAULT '{}')`,
  `CREATE INDEX "Project_version_idx" ON "Project" (version)`,
  `CREATE TABLE "Task" (id serial PRIMARY KEY, uid uuid NOT NULL UNIQUE,
     "projectId" integer NOT NULL REFERENCES "Project" (id) ON DELETE CASCADE,
     title text NOT NULL, status text, "contactEmail" text,
     "createdAt" timestamptz(3) NOT NULL DEFAULT now(), "updatedAt" timestamptz(3) NOT NULL DEFAULT now(),
     version bigint NOT NULL, "fieldVersions" jsonb NOT NULL DEFAULT '{}')`,
  `CREATE INDEX "Task_projectId_idx" ON "Task" ("projectId")`,
  `CREATE INDEX "Task_version_idx" ON "Task" (version)`,
]

describe.each(testDatabaseKinds())('a second parent/child pair (Project/Task) on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let sql: SqlDatabase
  const server = {
    engine: undefined as unknown as ReturnType<typeof createServerDataSync<typeof projectsTasks>>,
  }
  const devices: ReturnType<typeof createLocalDatabase>[] = []

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    sql = db.sql
    for (const statement of TABLES) await sql.query(statement)
    server.engine = createServerDataSync(projectsTasks, sql)
  })
  afterAll(async () => {
    await db?.close()
  })
  // Each test starts from empty tables with fresh devices (which then sync in full mode).
  beforeEach(async () => {
    await sql.query('TRUNCATE "Task", "Project"')
  })
  afterEach(async () => {
    for (const local of devices.splice(0)) await local.delete()
  })

  function device() {
    const local = createLocalDatabase(projectsTasks, `pair-${crypto.randomUUID()}`, fakeIndexedDb)
    devices.push(local)
    const transport = inProcessTransport(server, {}, projectsTasks)
    const engine = createSyncEngine({ db: local, spec: projectsTasks, transport, lock: memorySyncLock() })
    return {
      db: local,
      writes: createLocalWrites(local, projectsTasks),
      attention: createAttentionActions(local, projectsTasks),
      sync: () => engine.sync('manual'),
      /** Every local record as the server would hold it: fields, ids and parent key, flags checked clean. */
      async rows() {
        const projects = (await local.parents.orderBy('uid').toArray()).map(fromStored)
        const tasks = (await local.children.orderBy('uid').toArray()).map(fromStored)
        for (const r of [...projects, ...tasks])
          expect(r).toMatchObject({ isFromServer: true, isModified: false })
        return {
          projects: projects.map(({ id, uid, title, client }) => ({ id, uid, title, client })),
          tasks: tasks.map(({ id, uid, projectId, title, status }) => ({
            id,
            uid,
            projectId,
            title,
            status,
          })),
        }
      },
    }
  }

  const serverRows = async () => ({
    projects: await sql.query(`SELECT id, uid::text AS uid, title, client FROM "Project" ORDER BY uid`),
    tasks: await sql.query(
      `SELECT id, uid::text AS uid, "projectId", title, status FROM "Task" ORDER BY uid`,
    ),
  })

  it('adds, remaps, edits and deletes through both engines, next to the app tables it leaves alone', async () => {
    const a = device()
    const p = await a.writes.create('project', { title: 'Depot refit', client: 'Acme' })
    const t1 = await a.writes.create('task', { title: 'Survey', projectId: p.id })
    const t2 = await a.writes.create('task', { title: 'Order parts', projectId: p.id, status: 'open' })
    expect(p.id).toBeLessThan(0)

    const first = await a.sync()
    expect(first).toMatchObject({ outcome: 'synced', rejected: [] })
    const afterFirst = await serverRows()
    expect(afterFirst.projects).toEqual([
      { id: expect.any(Number), uid: p.uid, title: 'Depot refit', client: 'Acme' },
    ])
    const projectId = afterFirst.projects[0]!.id
    expect(afterFirst.tasks.map((t) => t.projectId)).toEqual([projectId, projectId])
    expect(await a.rows()).toEqual(afterFirst)

    const b = device()
    await b.sync()
    expect(await b.rows()).toEqual(afterFirst)
    const t1OnB = (await b.db.children.get(t1.uid))!
    await b.writes.update('task', t1.uid, { ...fromStored(t1OnB), status: 'done' })
    await b.writes.remove('task', t2.uid)
    expect(await b.sync()).toMatchObject({ outcome: 'synced', rejected: [] })

    expect(await a.sync()).toMatchObject({ outcome: 'synced', mode: 'delta' })
    const afterEdits = await serverRows()
    expect(afterEdits.tasks).toEqual([expect.objectContaining({ uid: t1.uid, status: 'done' })])
    expect(await a.rows()).toEqual(afterEdits)
    expect(await b.rows()).toEqual(afterEdits)

    const appTables = await sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM "Company") + (SELECT count(*) FROM "Contact") AS n`,
    )
    expect(Number(appTables[0]?.n)).toBe(0)
  })

  it('rules M1, M4, M5: field-level merge and overwrite reports work on the second pair too', async () => {
    const a = device()
    const p = await a.writes.create('project', { title: 'Depot refit', client: 'Acme' })
    const t = await a.writes.create('task', { title: 'Survey', projectId: p.id, status: 'open' })
    await a.sync()
    const b = device()
    await b.sync()
    // Different fields: both kept. Same field (status): the later arrival wins, and both are told.
    await a.writes.update('task', t.uid, { title: 'Site survey', status: 'doing' })
    await b.writes.update('project', p.uid, { client: 'Acme Ltd' })
    await b.writes.update('task', t.uid, { status: 'blocked' })
    await b.sync()
    const report = await a.sync()
    expect(report.overwrites).toEqual([
      expect.objectContaining({
        side: 'mine',
        entity: 'task',
        field: 'status',
        replaced: 'blocked',
        written: 'doing',
      }),
    ])
    await b.sync()
    expect(await listOverwrites(b.db, t.uid)).toEqual([
      expect.objectContaining({ side: 'theirs', field: 'status', replaced: 'blocked', written: 'doing' }),
    ])
    const rows = await serverRows()
    expect(rows.projects).toEqual([expect.objectContaining({ title: 'Depot refit', client: 'Acme Ltd' })])
    expect(rows.tasks).toEqual([expect.objectContaining({ title: 'Site survey', status: 'doing' })])
    expect(await a.rows()).toEqual(rows)
    expect(await b.rows()).toEqual(rows)
  })

  it('a task added under a project deleted elsewhere is kept, shown with its project, and re-created with it', async () => {
    const a = device()
    const b = device()
    const p = await a.writes.create('project', { title: 'Warehouse move' })
    await a.sync()
    await b.sync()
    const projectId = (await a.db.parents.get(p.uid))!.id

    await b.writes.remove('project', p.uid)
    await b.sync()
    const late = await a.writes.create('task', { title: 'Label shelves', projectId })
    const refused = await a.sync()
    expect(refused.rejected).toEqual([
      expect.objectContaining({ entity: 'task', uid: late.uid, code: 'parent_not_found' }),
    ])
    expect(await a.db.parents.get(p.uid)).toMatchObject({
      title: 'Warehouse move',
      syncError: { code: 'not_found', reason: DELETED_ELSEWHERE },
    })
    expect(await a.attention.list()).toEqual([
      expect.objectContaining({
        kind: 'orphans',
        parentId: projectId,
        children: [expect.objectContaining({ uid: late.uid })],
      }),
    ])

    await a.attention.recreateParent(p.uid)
    expect(await a.sync()).toMatchObject({ outcome: 'synced', rejected: [] })
    const rows = await serverRows()
    expect(rows.projects).toEqual([expect.objectContaining({ uid: p.uid, title: 'Warehouse move' })])
    expect(rows.projects[0]!.id).not.toBe(projectId)
    expect(rows.tasks).toEqual([
      expect.objectContaining({ uid: late.uid, projectId: rows.projects[0]!.id, title: 'Label shelves' }),
    ])
    expect(await a.rows()).toEqual(rows)
  })
})

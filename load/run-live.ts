// `npm run load -- live`: the live-updates benchmark. Two real server processes on one throwaway Postgres; Node
// devices (the real client engine on fake IndexedDB) listen on GET /api/sync/events, half on each instance, and run
// a delta sync when told. Prints figures against their targets; never a pass/fail gate (exit 1 only if a change
// never arrived).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import {
  createNodeDevice,
  setUpFirstAccount,
  signIn,
  type NodeDevice,
  type Session,
} from '@offline-sync/test-support/node-device'
import { treeRss, type ServerProcess } from '@offline-sync/test-support/server-process'
import { startTwoInstances } from './two-instances.ts'
import { createListeningDevice, type ListeningDevice } from './live-device.ts'
import { PROTOCOL_VERSION } from '@offline-sync/sync-protocol'

const DEVICE_COUNTS = [1, 50, 200]
const SAVES_PER_COUNT = 5
const QUICK_WRITES = 100
const COUNTING_DEVICES = 10
const ARRIVAL_TIMEOUT_MS = 30_000

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

async function inBatches<T>(items: T[], size: number, work: (item: T, index: number) => Promise<void>) {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))
}

const line = (label: string, value: string, target: string, ok: boolean) =>
  console.log(
    `  ${label.padEnd(34)} ${value.padEnd(30)} target ${target.padEnd(10)} ${ok ? 'met' : 'MISSED'}`,
  )

const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`
const logDir = mkdtempSync(join(tmpdir(), 'load-live-'))
const database = await createThrowawayDatabase(
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
)
const servers: ServerProcess[] = []
const listeners: ListeningDevice[] = []
const nodeDevices: NodeDevice[] = []
let missing = 0
// Interrupted: stop the (detached) server processes and drop the database all the same.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.all(servers.map((s) => s.stop()))
      .then(() => database.drop())
      .finally(() => process.exit(130))
  })
try {
  const [a, b] = await startTwoInstances(servers, database.url, logDir)
  console.log(`· 2 servers up (${elapsed()})`)
  const credentials = { email: 'live@example.test', password: 'live benchmark password' }
  // A few sessions shared by the devices: signing in 200 times would time scrypt, not live updates.
  const sessions: Session[] = [await setUpFirstAccount(a.baseURL, credentials)]
  for (let i = 1; i < 8; i++) sessions.push(await signIn(i % 2 ? b.baseURL : a.baseURL, credentials))

  const writer = createNodeDevice({ label: 'writer', session: sessions[0]!, baseURL: a.baseURL })
  nodeDevices.push(writer)
  await writer.sync()

  /**
   * `count` more listening devices, alternately on instance b and a (the writer is on a): each synced first, then
   * all streams opened. Resolves the servers' RSS growth while only the streams were being opened.
   */
  const addListeners = async (count: number) => {
    const made: { device: NodeDevice; server: ServerProcess; session: Session }[] = []
    await inBatches(
      Array.from({ length: count }, (_, i) => i),
      25,
      async (i) => {
        const server = i % 2 === 0 ? b : a
        const session = sessions[i % sessions.length]!
        const device = createNodeDevice({ label: `listener-${i}`, session, baseURL: server.baseURL })
        nodeDevices.push(device)
        await device.sync()
        made.push({ device, server, session })
      },
    )
    const rssBefore = treeRss(a.pid) + treeRss(b.pid)
    await inBatches(made, 25, async ({ device, server, session }) => {
      const listening = createListeningDevice(device, server.baseURL, session.cookie)
      await listening.listen(randomUUID())
      listeners.push(listening)
    })
    return treeRss(a.pid) + treeRss(b.pid) - rssBefore
  }

  /** One writing sync straight over HTTP, as another device would send it; resolves the new cursor. */
  const postOneCompany = async (server: ServerProcess, session: Session, name: string) => {
    const response = await fetch(`${server.baseURL}/api/sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'x-account-id': String(session.userId),
      },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        deviceId: randomUUID(),
        syncId: randomUUID(),
        cursor: null,
        companies: { added: [{ id: -1, uid: randomUUID(), name }], modified: [], deleted: [] },
        contacts: { added: [], modified: [], deleted: [] },
      }),
    })
    if (response.status !== 200)
      throw new Error(`a quick write answered ${response.status}: ${await response.text()}`)
    return ((await response.json()) as { cursor: string }).cursor
  }

  /** One save on the writer (a local add, then its sync); ms from the save to each listener having stored it. */
  const timeOneSave = async (group: ListeningDevice[]) => {
    const t0 = performance.now()
    await writer.writes.create('company', { name: `Live ${randomUUID()}` })
    const report = await writer.sync()
    if (report.outcome !== 'synced')
      throw new Error(`the writer's sync failed: ${JSON.stringify(report.error)}`)
    const cursor = writer.exchanges.at(-1)?.response?.cursor
    if (!cursor) throw new Error('the writer got no cursor')
    const times = await Promise.all(
      group.map((l) =>
        Promise.race([
          l.storedAt(cursor).then((at) => at - t0),
          new Promise<number>((resolve) => setTimeout(() => resolve(NaN), ARRIVAL_TIMEOUT_MS)),
        ]),
      ),
    )
    missing += times.filter(Number.isNaN).length
    return times.filter((t) => !Number.isNaN(t))
  }

  console.log(`
Live updates: 2 server instances on one Postgres, devices alternate between them, the writer on instance 1
(save = a local add and its POST /api/sync; stored = the listener's delta sync has written it to its IndexedDB)`)
  let group: ListeningDevice[] = []
  let previous = 0
  for (const count of DEVICE_COUNTS) {
    const rssGrowth = await addListeners(count - group.length)
    group = [...listeners]
    console.log(`· ${count} devices listening (${elapsed()})`)
    const opened = count - previous
    previous = count
    // Only meaningful with many streams opened at once: RSS moves in pages and with the garbage collector.
    if (opened >= 50)
      line(
        `server memory per open stream (${opened})`,
        `${(rssGrowth / opened / 1024).toFixed(1)} KB (RSS delta)`,
        '≤ 50 KB',
        rssGrowth <= opened * 50 * 1024,
      )
    await timeOneSave(group) // warm-up, not counted
    const latencies: number[] = []
    for (let s = 0; s < (count >= 200 ? 3 : SAVES_PER_COUNT); s++)
      latencies.push(...(await timeOneSave(group)))
    latencies.sort((x, y) => x - y)
    const p95 = percentile(latencies, 95)
    const target = count >= 200 ? 2000 : 1000
    line(
      `save → stored, ${count} device${count === 1 ? '' : 's'}`,
      `p50 ${Math.round(percentile(latencies, 50))} ms · p95 ${Math.round(p95)} ms (n=${latencies.length})`,
      `p95 ≤ ${target / 1000} s`,
      p95 <= target,
    )

    if (count === 50) {
      // Syncs caused per 100 quick writes: 100 saves from other devices at once (a team's burst, ten at a time),
      // counted on ten listening devices. Bounded by (time the writes took / coalescing window) + 1.
      const counting = group.slice(0, COUNTING_DEVICES)
      for (const l of counting) l.resetSyncs()
      let last = 0n
      const burstStarted = performance.now()
      await inBatches(
        Array.from({ length: QUICK_WRITES }, (_, i) => i),
        10,
        async (i) => {
          const cursor = await postOneCompany(
            i % 2 === 0 ? a : b,
            sessions[i % sessions.length]!,
            `Quick ${i}`,
          )
          if (BigInt(cursor) > last) last = BigInt(cursor)
        },
      )
      const burstMs = performance.now() - burstStarted
      await Promise.all(counting.map((l) => l.storedAt(String(last))))
      const syncsPerDevice = counting.reduce((sum, l) => sum + l.syncs(), 0) / counting.length
      line(
        `syncs per device per ${QUICK_WRITES} quick writes`,
        `${syncsPerDevice.toFixed(1)} (writes took ${(burstMs / 1000).toFixed(1)} s; bound ${Math.ceil(burstMs / 500) + 1})`,
        '≤ 10',
        syncsPerDevice <= 10,
      )
    }
  }

  // Every listener ends with every company the server has (the writer syncs once more to hold them all too).
  await writer.sync()
  await Promise.all(group.map((l) => l.storedAt(writer.exchanges.at(-1)?.response?.cursor ?? '0')))
  const expected = await writer.db.parents.count()
  const behind = (await Promise.all(group.map((l) => l.device.db.parents.count()))).filter(
    (n) => n !== expected,
  )
  missing += behind.length
  console.log(`  arrivals over 30 s or missing    ${missing}`)
  console.log(`  run took ${((performance.now() - started) / 1000).toFixed(0)} s · server logs ${logDir}`)
} finally {
  for (const l of listeners) l.close()
  console.log(`· closing (${elapsed()})`)
  await Promise.all(servers.map((s) => s.stop()))
  await Promise.all(nodeDevices.map((d) => d.close()))
  await database.drop()
}
process.exit(missing === 0 ? 0 : 1)

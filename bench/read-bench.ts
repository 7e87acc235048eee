/**
 * Syncs that bring data down, on the data set of a scale: a no-op sync and a sync after 10 edits by another
 * device, each in full mode (no cursor: every record comes back) and in delta mode (the device's cursor: only
 * what changed). For each: the engine's time, the JSON encoding, the bytes, and the bytes as sent compressed.
 */
import { constants, brotliCompressSync, gzipSync } from 'node:zlib'
import { createServerDataSync, parseSyncRequest } from '@offline-sync/sync-server'
import type { BenchDatabase } from './bench-database.ts'
import { Samples, timed } from './measure.ts'
import { resetAndSeed, SEEDED_CURSOR } from './seed-base.ts'
import { editsRequest, noChangeRequest, spec, type WireRequest } from './workload.ts'

/** Response bodies of the last repetition, for the browser half. */
export interface ReadBodies {
  full: string
  edits: string
  noop: string
}

export type ReadCase = 'noopFull' | 'noopDelta' | 'editsFull' | 'editsDelta'

const EDITS = 10
const DELTA_SAMPLES = 5

function parse(wire: WireRequest): WireRequest {
  const result = parseSyncRequest(spec, JSON.parse(JSON.stringify(wire)))
  if (!result.ok) throw new Error(`bench request does not parse: ${result.error.message}`)
  return result.value
}

/**
 * Samples under `read.<label>.<case>.<what>`: `sync` (engine ms), `encode` (JSON.stringify ms), `server`
 * (both), `bytes`, `gzipBytes`/`gzipMs` (gzip at zlib's default level 6, what Express `compression` uses for
 * gzip) and `brotliBytes`/`brotliMs` (quality 4, what `compression` 1.8 uses when the browser offers br).
 * Also `read.<label>.editsWrite`: the other device's writing sync of the 10 edits, in delta mode.
 */
export async function benchReads(
  db: BenchDatabase,
  scale: number,
  reps: number,
  samples: Samples,
  log: (line: string) => void,
): Promise<ReadBodies> {
  const label = `${scale}x`
  log(`reads ${label}: ${reps} repetitions`)
  await resetAndSeed(db.handle.sql, scale)
  const engine = createServerDataSync(spec, db.handle.sql)
  let syncNumber = 0
  const bodies: Partial<ReadBodies> = {}

  /**
   * A full read is a download of pages (rule G1): walk it to its last page and time the whole walk, then hand the
   * browser half ONE body holding every record with `page.next: null`, the answer a download of one page gives,
   * so the device bench applies the same records it always did (a body with a next token would ask for more).
   */
  const read = async (cursor: string | null) => {
    const first = await engine.sync(parse(noChangeRequest(++syncNumber, cursor)))
    if (first.mode !== 'full' || !first.page) return first
    const whole = { ...first, companies: [...first.companies], contacts: [...first.contacts] }
    for (let next = first.page.next; next !== null;) {
      const page = await engine.sync(parse({ ...noChangeRequest(++syncNumber, null), page: next }))
      whole.companies.push(...page.companies)
      whole.contacts.push(...page.contacts)
      next = page.page?.next ?? null
    }
    return { ...whole, page: { ...first.page, next: null } }
  }

  const measure = async (name: ReadCase, cursor: string | null): Promise<string> => {
    const sync = await timed(() => read(cursor))
    const expectedMode = cursor === null ? 'full' : 'delta'
    if (sync.value.mode !== expectedMode)
      throw new Error(`${name} at ${label} answered in ${sync.value.mode} mode`)
    const encode = await timed(() => JSON.stringify(sync.value))
    const body = encode.value
    const gzip = await timed(() => gzipSync(body, { level: constants.Z_DEFAULT_COMPRESSION }))
    const brotli = await timed(() =>
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
    )
    const key = (what: string) => `read.${label}.${name}.${what}`
    samples.add(key('sync'), sync.ms)
    samples.add(key('encode'), encode.ms)
    samples.add(key('server'), sync.ms + encode.ms)
    samples.add(key('bytes'), Buffer.byteLength(body))
    samples.add(key('gzipBytes'), gzip.value.byteLength)
    samples.add(key('gzipMs'), gzip.ms)
    samples.add(key('brotliBytes'), brotli.value.byteLength)
    samples.add(key('brotliMs'), brotli.ms)
    return body
  }

  // Untimed: the first statements on fresh tables pay for planning and caching.
  await engine.sync(parse(noChangeRequest(++syncNumber, null)))
  let cursor = SEEDED_CURSOR
  for (let rep = 0; rep < reps; rep++) {
    // Another device edits 10 contacts; our device last synced at `before`.
    const before = cursor
    const write = await timed(() =>
      engine.sync(parse({ ...editsRequest(scale, EDITS, rep + 1), cursor: before })),
    )
    samples.add(`read.${label}.editsWrite`, write.ms)
    cursor = write.value.cursor
    const after = cursor
    // Delta syncs take milliseconds, and a few round trips are easily delayed by anything else running: several
    // samples each per repetition steady their medians at no real cost.
    const cases: [ReadCase, string | null][] = [
      ['editsFull', null],
      ...Array.from({ length: DELTA_SAMPLES }, (): [ReadCase, string] => ['editsDelta', before]),
      ['noopFull', null],
      ...Array.from({ length: DELTA_SAMPLES }, (): [ReadCase, string] => ['noopDelta', after]),
    ]
    for (let i = 0; i < cases.length; i++) {
      const [name, from] = cases[(i + rep) % cases.length] as [ReadCase, string | null]
      const body = await measure(name, from)
      if (name === 'noopFull') bodies.full = body
      if (name === 'editsDelta') bodies.edits = body
      if (name === 'noopDelta') bodies.noop = body
    }
  }
  if (!bodies.full || !bodies.edits || !bodies.noop) throw new Error('no repetitions ran')
  return bodies as ReadBodies
}

/**
 * apply: one writing sync of the batch at a scale (see workload.ts), by each contender, on freshly seeded data
 * every time: our ServerDataSync answering in full mode (as the seed does: every record comes back) and in
 * delta mode, the seed's literal per-record algorithm, and the hand-written SQL floor.
 */
import { createServerDataSync, parseSyncRequest } from '@offline-sync/sync-server'
import type { BenchDatabase } from './bench-database.ts'
import { Samples, timed } from './measure.ts'
import { countRows, resetAndSeed, SEEDED_CURSOR } from './seed-base.ts'
import { seedLiteralSync } from './seed-literal.ts'
import { sqlFloorSync } from './sql-floor.ts'
import { timeStatements, type StatementTime } from './statement-timer.ts'
import { applyRequest, expectedAfterApply, spec, type WireRequest } from './workload.ts'

export type ApplyContender = 'ours' | 'oursDelta' | 'floor' | 'perRecord'

/** Parses the wire body as the HTTP route does (zod); the engine takes only parsed requests. */
function parse(wire: unknown): WireRequest {
  const result = parseSyncRequest(spec, wire)
  if (!result.ok) throw new Error(`bench request does not parse: ${result.error.message}`)
  return result.value
}

async function runContender(
  db: BenchDatabase,
  contender: ApplyContender,
  full: WireRequest,
  delta: WireRequest,
) {
  const { sql, prisma } = db.handle
  switch (contender) {
    case 'ours':
      return createServerDataSync(spec, sql).sync(full)
    case 'oursDelta':
      return createServerDataSync(spec, sql).sync(delta)
    case 'floor':
      return sqlFloorSync(sql, full)
    case 'perRecord':
      return seedLiteralSync(prisma, full)
  }
}

/**
 * Runs `reps` rounds; each round runs every contender once, in a rotated order, each on freshly seeded data.
 * Samples: `apply.<label>.<contender>` (ms) and `apply.<label>.parse` (ms to validate the request).
 * Throws when a contender leaves different row counts behind than the workload implies.
 */
export async function benchApply(
  db: BenchDatabase,
  scale: number,
  reps: number,
  contenders: readonly ApplyContender[],
  samples: Samples,
  log: (line: string) => void,
): Promise<void> {
  const label = `${scale}x`
  const wireFull = JSON.parse(JSON.stringify(applyRequest(scale, null))) as unknown
  const wireDelta = JSON.parse(JSON.stringify(applyRequest(scale, SEEDED_CURSOR))) as unknown
  const expected = expectedAfterApply(scale)
  const delta = parse(wireDelta)
  log(`apply ${label}: ${reps} repetitions of ${contenders.join(', ')}`)
  for (let rep = 0; rep < reps; rep++) {
    const parsed = await timed(() => parse(wireFull))
    samples.add(`apply.${label}.parse`, parsed.ms)
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + rep) % contenders.length] as ApplyContender
      await resetAndSeed(db.handle.sql, scale)
      await settle(db)
      const { ms } = await timed(() => runContender(db, contender, parsed.value, delta))
      samples.add(`apply.${label}.${contender}`, ms)
      const rows = await countRows(db.handle.sql)
      if (rows.companies !== expected.companies || rows.contacts !== expected.contacts) {
        throw new Error(
          `${contender} at ${label} left ${JSON.stringify(rows)}, expected ${JSON.stringify(expected)}`,
        )
      }
    }
  }
}

/** Where one apply's time goes: its statements, their sum, and the whole call (the rest is JavaScript). */
export interface ApplyBreakdown {
  totalMs: number
  sqlMs: number
  statements: StatementTime[]
}

/**
 * One more run of our engine and of the SQL floor with every statement timed, outside the measured figures:
 * the same SQL time in both means the engine's extra cost is in JavaScript, not in its statements.
 */
export async function applyBreakdown(
  db: BenchDatabase,
  scale: number,
): Promise<{ ours: ApplyBreakdown; floor: ApplyBreakdown }> {
  const request = parse(JSON.parse(JSON.stringify(applyRequest(scale, null))))
  const run = async (
    fn: (timer: ReturnType<typeof timeStatements>) => Promise<unknown>,
  ): Promise<ApplyBreakdown> => {
    await resetAndSeed(db.handle.sql, scale)
    await settle(db)
    const timer = timeStatements(db.handle.sql)
    const { ms } = await timed(() => fn(timer))
    const statements = timer.report()
    return { totalMs: ms, sqlMs: statements.reduce((sum, x) => sum + x.ms, 0), statements }
  }
  return {
    ours: await run((timer) => createServerDataSync(spec, timer.db).sync(request)),
    floor: await run((timer) => sqlFloorSync(timer.db, request)),
  }
}

/**
 * Postgres: a checkpoint before each timed run, so the WAL of the seeding is not flushed in the middle of the
 * measurement (needs a superuser or pg_checkpoint; skipped quietly otherwise). PGlite: nothing to do.
 */
async function settle(db: BenchDatabase): Promise<void> {
  if (db.kind !== 'postgres') return
  try {
    await db.handle.sql.query('CHECKPOINT')
  } catch {
    // Not allowed for this role: the figures are just a little noisier.
  }
}

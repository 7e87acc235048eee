/**
 * `npm run bench:merge` (issue 14): the 10× apply workload through ServerDataSync with field-level merging
 * (this tree) against the same workload through the engine before it (whole-record modifies: the `main` branch,
 * or BASELINE_REF), printed with the 1.2× target. A figure, not a test: nothing fails on it.
 *
 * The baseline is exported with `git archive` into a temporary folder that borrows this tree's node_modules
 * (except the workspace links, which point at the baseline's own packages) and gets its own Prisma client. Both
 * trees run their own bench/apply-bench.ts, alternately, on their own freshly migrated PGlite (or DATABASE_URL).
 *
 *   npm run bench:merge                       5 alternating rounds of 3 repetitions
 *   ROUNDS=2 REPS=2 npm run bench:merge        quicker
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './measure.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SCALE = 10
const TARGET = 1.2
const rounds = Number(process.env.ROUNDS ?? 5)
const reps = Number(process.env.REPS ?? 3)
const ref = process.env.BASELINE_REF ?? 'main'
const probeDir = mkdtempSync(join(tmpdir(), 'bench-probe-'))

/** Runs the apply bench of one tree (its own code) and returns its samples of `apply.10x.ours`, in ms. */
function measure(tree: string): number[] {
  const probe = join(probeDir, `probe-${Math.random().toString(36).slice(2)}.mts`)
  writeFileSync(
    probe,
    `import { openBenchDatabase } from '${tree}/bench/bench-database.ts'
     import { benchApply } from '${tree}/bench/apply-bench.ts'
     import { Samples } from '${tree}/bench/measure.ts'
     const db = await openBenchDatabase()
     try {
       await benchApply(db, 1, 1, ['ours'], new Samples(), () => {})
       const samples = new Samples()
       await benchApply(db, ${SCALE}, ${reps}, ['ours'], samples, () => {})
       console.log(JSON.stringify(samples.toJSON()['apply.${SCALE}x.ours']?.samples ?? []))
     } finally {
       await db.close()
     }
    `,
  )
  const out = execFileSync(join(root, 'node_modules/.bin/tsx'), [probe], {
    cwd: tree,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const last = out.trim().split('\n').at(-1) ?? '[]'
  return JSON.parse(last) as number[]
}

/** A copy of `ref` that runs with this tree's dependencies but its own workspace packages. */
function baselineTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'))
  execFileSync('sh', ['-c', `git -C "${root}" archive ${ref} | tar -x -C "${dir}"`])
  mkdirSync(join(dir, 'node_modules', '@offline-sync'), { recursive: true })
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '@offline-sync' || entry === '.bin') continue
    symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry))
  }
  symlinkSync(join(root, 'node_modules', '.bin'), join(dir, 'node_modules', '.bin'))
  for (const link of readdirSync(join(root, 'node_modules', '@offline-sync'))) {
    const target = execFileSync('readlink', [join(root, 'node_modules', '@offline-sync', link)], {
      encoding: 'utf8',
    }).trim()
    symlinkSync(
      resolve(join(dir, 'node_modules', '@offline-sync'), target),
      join(dir, 'node_modules', '@offline-sync', link),
    )
  }
  execFileSync('npm', ['run', 'db:generate'], { cwd: dir, stdio: 'ignore' })
  return dir
}

const baseline = baselineTree()
try {
  const before: number[] = []
  const after: number[] = []
  for (let round = 0; round < rounds; round++) {
    before.push(...measure(baseline))
    after.push(...measure(root))
    console.log(
      `round ${round + 1}/${rounds}: without ${median(before).toFixed(1)} ms, with ${median(after).toFixed(1)} ms`,
    )
  }
  const [w, m] = [median(before), median(after)]
  const ratio = m / w
  console.log('')
  console.log(`| apply ${SCALE}× (ServerDataSync, full mode)       | median ms |`)
  console.log('| --------------------------------------------- | --------- |')
  console.log(`| without merging (${ref}: whole-record modifies) | ${w.toFixed(1)} |`)
  console.log(`| with field-level merging (this tree)          | ${m.toFixed(1)} |`)
  console.log('')
  console.log(`ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET}×): ${ratio <= TARGET ? 'met' : 'NOT met'}`)
} finally {
  rmSync(baseline, { recursive: true, force: true })
  rmSync(probeDir, { recursive: true, force: true })
}

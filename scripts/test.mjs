#!/usr/bin/env node
// `npm test`: every test, in order — unit + database tests (vitest, on PGlite and real Postgres), the end-to-end
// journeys in real Chromium (Playwright), then the audits (Lighthouse, axe, first-screen JS). Ends with one plain
// line "N passed, N failed". `--unit`, `--e2e` or `--audits` runs one part. Only deterministic checks count:
// machine-speed figures (Lighthouse performance) are printed by the audits with their targets, never counted as
// failures, so the verdict does not depend on how busy the machine is (issue 12 point 7).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const results = join(root, 'test-results')
const isCI = Boolean(process.env.CI)
const args = new Set(process.argv.slice(2))
const only = args.has('--unit')
  ? 'unit'
  : args.has('--e2e')
    ? 'e2e'
    : args.has('--audits') || args.has('--audit')
      ? 'audit'
      : 'all'
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })

const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
process.env.TEST_DATABASE_URL = testDatabaseUrl

async function postgresReachable() {
  const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function run(command, commandArgs, env = {}) {
  console.log(`\n$ ${command} ${commandArgs.join(' ')}`)
  return (
    spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
      .status ?? 1
  )
}

const totals = { passed: 0, failed: 0 }
let failedSteps = []

if (!process.env.TEST_DB && !(await postgresReachable())) {
  if (isCI) {
    console.error(`Postgres is not reachable at ${testDatabaseUrl}; CI must test against real Postgres.`)
    process.exit(1)
  }
  console.warn(
    `\n!! Postgres is not reachable at ${testDatabaseUrl}: running the database tests on PGlite only.`,
  )
  console.warn(
    '!! Set TEST_DATABASE_URL to a Postgres you can create databases in to run them on Postgres too.\n',
  )
  process.env.TEST_DB = 'pglite'
}

if (only === 'all' || only === 'unit') {
  const out = join(results, 'vitest.json')
  const status = run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ])
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'))
    totals.passed += report.numPassedTests
    totals.failed += report.numFailedTests + (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  } else totals.failed += 1
  if (status !== 0) failedSteps.push('vitest')
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
let webBuilt = false

if (only === 'all' || only === 'e2e') {
  if (!existsSync(chromium)) {
    console.error(
      `\nChromium not found at ${chromium}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )
    totals.failed += 1
    failedSteps.push('e2e (no chromium)')
  } else if (run('npm', ['run', 'build', '-w', 'apps/web']) !== 0) {
    totals.failed += 1
    failedSteps.push('web build')
  } else {
    webBuilt = true
    const out = join(results, 'playwright.json')
    const status = run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], {
      CHROMIUM_PATH: chromium,
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    })
    if (existsSync(out)) {
      const stats = JSON.parse(readFileSync(out, 'utf8')).stats
      totals.passed += stats.expected
      totals.failed += stats.unexpected + stats.flaky + stats.skipped
    } else totals.failed += 1
    if (status !== 0) failedSteps.push('playwright')
  }
}

// The audits (Lighthouse, axe, first-screen JS) on the built app; each check counts as a test (docs/audits.md).
if (only === 'all' || only === 'audit') {
  if (!existsSync(chromium)) {
    totals.failed += 1
    failedSteps.push('audits (no chromium)')
  } else if (!webBuilt && run('npm', ['run', 'build', '-w', 'apps/web']) !== 0) {
    totals.failed += 1
    failedSteps.push('web build')
  } else {
    console.log('\n$ npx tsx e2e/audits/run-audits.ts')
    const audit = spawnSync('npx', ['tsx', 'e2e/audits/run-audits.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CHROMIUM_PATH: chromium },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    process.stdout.write(audit.stdout ?? '')
    const line = /audits: (\d+) passed, (\d+) failed/.exec(audit.stdout ?? '')
    if (line) {
      totals.passed += Number(line[1])
      totals.failed += Number(line[2])
    } else totals.failed += 1
    if (audit.status !== 0) failedSteps.push('audits')
  }
}

if (failedSteps.length) console.error(`\nFailed: ${failedSteps.join(', ')}`)
console.log(`\n${totals.passed} passed, ${totals.failed} failed`)
process.exit(failedSteps.length || totals.failed ? 1 : 0)

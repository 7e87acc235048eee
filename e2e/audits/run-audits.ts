/**
 * `npm run audits`: issue 6 point 5. Starts the real server on a throwaway Postgres database, signs a browser in,
 * seeds data, then checks every screen and prints one line per check and `audits: N passed, N failed`; exits 1 if
 * any check fails. Machine-speed figures (Lighthouse performance) are printed with their targets as `figure` lines
 * and never fail the run (issue 12 point 7). See docs/audits.md for what is measured and the marks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { chromiumLaunchOptions, phone } from '../support/chromium.ts'
import { repoRoot, screenshotDir } from '../support/paths.ts'
import { freePort, startServer } from '../support/server-process.ts'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { accountMode, seedServer, signIn, type AccountMode } from './audit-session.ts'
import { appScreens, auditScreen, hasJournal, openScreen, type ScreenResult } from './audit-screens.ts'
import { measureFirstScreenJs } from './first-screen-js.ts'
import { GATED_CATEGORIES, MARKS, runLighthouse, type LighthouseResult } from './lighthouse-pages.ts'

const FIRST_SCREEN_JS_LIMIT_KB = 150
/**
 * Scripts the first screen may request. Each one past six queues behind another on HTTP/1.1's six connections per
 * host, a round trip on a slow link (docs/audits.md, "What makes the first screen fast"); 10 today.
 */
const FIRST_SCREEN_SCRIPTS_LIMIT = 12
/** Makes the app believe it starts offline, so no startup sync (and none of its code) joins the first screen. */
const OFFLINE_START = `Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false })`
const outDir = join(repoRoot, 'artifacts/audits')
/**
 * `AUDIT_PAGES=companies,setup`: only these Lighthouse pages, and no axe screens nor first-screen JS (the data is
 * still seeded), for looking into one page's figures without the whole run. Unset: everything.
 */
const onlyPages = process.env.AUDIT_PAGES?.split(',').map((name) => name.trim())
const audited = (name: string) => !onlyPages || onlyPages.includes(name)

interface Check {
  name: string
  passed: boolean
  detail: string
}
const checks: Check[] = []
function check(name: string, passed: boolean, detail: string) {
  checks.push({ name, passed, detail })
  console.log(`${passed ? 'ok  ' : 'FAIL'} ${name}: ${detail}`)
}

interface Figure {
  name: string
  value: number
  target: number
  metTarget: boolean
  detail: string
}
const figures: Figure[] = []
/**
 * A figure that depends on how fast and how busy the machine is: printed against its target, never a failure, so
 * the audit's verdict is the same on a machine twice as slow (issue 12 point 7).
 */
function figure(name: string, value: number, target: number, detail: string) {
  const metTarget = value >= target
  figures.push({ name, value, target, metTarget, detail })
  console.log(
    `${metTarget ? 'fig ' : 'fig!'} ${name}: ${value}, target ${target}${detail} (a figure, not a gate)`,
  )
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1)

function reportAxe(result: ScreenResult) {
  const detail =
    result.violations.length === 0
      ? 'no violations'
      : result.violations
          .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join(', ')}`)
          .join('; ')
  check(`axe ${result.name}`, result.violations.length === 0, detail)
}

/** The screens someone without a session sees (setup before the first account exists, then sign-in). */
async function auditAuthScreen(browser: Browser, baseURL: string, name: string): Promise<void> {
  const context = await browser.newContext({ ...phone, baseURL })
  try {
    const page = await context.newPage()
    await page.goto('/')
    await page.getByTestId('auth-form').waitFor()
    reportAxe(await auditScreen(page, name, screenshotDir))
  } finally {
    await context.close()
  }
}

/** Waits until the app has opened its local data and finished the startup sync. */
async function waitForSyncedApp(page: Page) {
  await page.goto('/')
  await page.getByTestId('company-list').waitFor({ timeout: 60_000 })
  await page
    .locator('[data-testid="last-synced"]')
    .filter({ hasNotText: /never/i })
    .waitFor({ timeout: 60_000 })
  await page.locator('[data-testid="sync-bar"][data-state="idle"]').waitFor()
}

/** Part 1, in a launched browser (fresh contexts possible): axe on every screen, screenshots, first-screen JS. */
async function auditScreensAndJs(baseURL: string, initialMode: AccountMode): Promise<void> {
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    if (initialMode === 'setup-needed' && !onlyPages) await auditAuthScreen(browser, baseURL, 'setup')
    const context = await browser.newContext({ ...phone, baseURL })
    const page = await context.newPage()
    await page.goto('/api/health')
    const csrfToken = await signIn(page, initialMode)
    const data = await seedServer(page, csrfToken)
    await waitForSyncedApp(page)
    if (onlyPages) return

    const journal = await hasJournal(page)
    if (!journal) console.log('note: this build has no sync journal screen (/history): not audited')
    for (const screen of appScreens(data, journal)) {
      await openScreen(page, screen)
      reportAxe(await auditScreen(page, screen.name, screenshotDir))
    }
    if (initialMode !== 'absent') await auditAuthScreen(browser, baseURL, 'sign-in')

    // The session, stored account and local data of this context, for the cold loads that measure the JS.
    const state = await context.storageState({ indexedDB: true })
    await context.close()
    const weight = await measureFirstScreenJs(async ({ offlineStart }) => {
      const measured = await browser.newContext({
        ...phone,
        baseURL,
        storageState: state,
        serviceWorkers: 'block',
      })
      // A string, not a function: tsx would wrap a function with helpers that do not exist in the page.
      if (offlineStart) await measured.addInitScript({ content: OFFLINE_START })
      return measured
    }, 'company-list')
    writeFileSync(join(outDir, 'first-screen-js.json'), JSON.stringify(weight, null, 2))
    console.log(
      `first-screen JS: ${kb(weight.firstScreen)} KB gzip (with the startup sync's engine: ${kb(weight.withStartupSync)} KB)`,
    )
    check(
      'first-screen JS',
      weight.firstScreen <= FIRST_SCREEN_JS_LIMIT_KB * 1024,
      `${kb(weight.firstScreen)} KB gzip, limit ${FIRST_SCREEN_JS_LIMIT_KB} KB`,
    )
    const scripts = weight.files.filter((file) => file.firstScreen).length
    check(
      'first-screen scripts',
      scripts <= FIRST_SCREEN_SCRIPTS_LIMIT,
      `${scripts} requests, limit ${FIRST_SCREEN_SCRIPTS_LIMIT}`,
    )
  } finally {
    await browser.close()
  }
}

/** Opens a persistent profile with a debugging port Lighthouse connects to, and closes it after `use`. */
async function withLighthouseProfile<T>(
  baseURL: string,
  use: (page: Page, port: number) => Promise<T>,
): Promise<T> {
  const port = await freePort()
  const profile = mkdtempSync(join(tmpdir(), 'audit-profile-'))
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    args: [...(chromiumLaunchOptions.args ?? []), `--remote-debugging-port=${port}`],
    ...phone,
    baseURL,
  })
  try {
    return await use(context.pages()[0] ?? (await context.newPage()), port)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

/** Runs Lighthouse on one page and reports its gated categories as checks and its performance as a figure. */
async function lighthousePage(
  target: { name: string; path: string },
  baseURL: string,
  port: number,
): Promise<LighthouseResult> {
  const result = await runLighthouse(
    target.name,
    new URL(target.path, baseURL).toString(),
    port,
    join(outDir, `lighthouse-${target.name.replace(/\W+/g, '-')}.json`),
  )
  for (const category of GATED_CATEGORIES) {
    const score = result.scores[category]
    check(
      `lighthouse ${target.name} ${category}`,
      score >= MARKS[category],
      `${score}, mark ${MARKS[category]}`,
    )
  }
  figure(
    `lighthouse ${target.name} performance`,
    result.scores.performance,
    MARKS.performance,
    result.runs
      ? ` (median; runs: ${result.runs.join(', ')}; TBT ${result.blockingMs?.join(', ')} ms; CPU benchmark ${result.benchmarkIndex})`
      : '',
  )
  for (const finding of result.findings) console.log(`     ${finding}`)
  return result
}

/**
 * Part 0, before the first account exists: the setup screen is the very first screen of a new server (issue 15
 * point 6: accessibility and best practices 100 there too; a 401 logged in its console once cost best practices).
 */
async function auditSetupWithLighthouse(baseURL: string): Promise<LighthouseResult[]> {
  if (!audited('setup')) return []
  return withLighthouseProfile(baseURL, async (_page, port) => [
    await lighthousePage({ name: 'setup', path: '/' }, baseURL, port),
  ])
}

/**
 * Part 2, in a persistent profile: the sign-in screen of a profile without a session, then the app's screens once
 * signed in.
 */
async function auditWithLighthouse(baseURL: string, mode: AccountMode): Promise<LighthouseResult[]> {
  return withLighthouseProfile(baseURL, async (page, port) => {
    const results: LighthouseResult[] = []
    if (mode === 'ready' && audited('sign-in'))
      results.push(await lighthousePage({ name: 'sign-in', path: '/' }, baseURL, port))
    await page.goto('/api/health')
    await signIn(page, mode)
    await waitForSyncedApp(page)
    const companyHref = await page.getByTestId('company-row').first().getByRole('link').getAttribute('href')
    if (!companyHref) throw new Error('the company list shows no company to audit')
    const journal = await hasJournal(page)
    const pages = [
      { name: 'companies', path: '/' },
      { name: 'company', path: companyHref },
      journal
        ? { name: 'journal', path: '/history' }
        : { name: 'attention (no journal yet)', path: '/attention' },
    ]
    for (const target of pages.filter((p) => audited(p.name)))
      results.push(await lighthousePage(target, baseURL, port))
    return results
  })
}

async function main() {
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` first (npm run audits does).')
  mkdirSync(outDir, { recursive: true })
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = await createThrowawayDatabase(adminUrl)
  let server
  try {
    server = await startServer({ databaseUrl: database.url, logFile: join(outDir, 'server.log') })
    const mode = await accountMode(server.baseURL)
    const lighthouse = mode === 'setup-needed' ? await auditSetupWithLighthouse(server.baseURL) : []
    await auditScreensAndJs(server.baseURL, mode)
    lighthouse.push(...(await auditWithLighthouse(server.baseURL, mode === 'absent' ? 'absent' : 'ready')))
    writeFileSync(join(outDir, 'lighthouse.json'), JSON.stringify(lighthouse, null, 2))
  } catch (err) {
    check('audit run', false, err instanceof Error ? (err.stack ?? err.message) : String(err))
  } finally {
    await server?.stop()
    await database.drop()
  }
  writeFileSync(join(outDir, 'checks.json'), JSON.stringify(checks, null, 2))
  writeFileSync(join(outDir, 'figures.json'), JSON.stringify(figures, null, 2))
  const below = figures.filter((f) => !f.metTarget)
  console.log(
    `figures: ${figures.length} printed, ${below.length} below target${below.length ? ` (${below.map((f) => f.name).join('; ')})` : ''}; figures never fail the audits`,
  )
  const failed = checks.filter((c) => !c.passed).length
  console.log(`audits: ${checks.length - failed} passed, ${failed} failed`)
  process.exitCode = failed > 0 ? 1 : 0
}

// `AUDIT_TRACE=1`: no audits, but trace-start.ts's look at a cold load's long tasks (same server, data and profile).
if (process.env.AUDIT_TRACE) await import('./trace-start.ts')
else await main()

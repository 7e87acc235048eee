/**
 * Issue 16: a new phone signs in, at 1×, 10× and 100× (100× = 10,000 companies + 100,000 contacts). For each scale:
 * a throwaway Postgres database seeded by SQL (bench/seed-base.ts), the REAL server process serving the BUILT app,
 * and headless Chromium signing in through the app's sign-in screen. The page is watched from outside
 * (phone-probe.ts); the server's memory from /proc; bytes on the wire from CDP Network events. Then, on the same
 * phone, a no-op sync and a sync after 10 edits made elsewhere; then a second new phone that made 1,000 companies +
 * 10,000 contacts offline (through the app's import code) syncs them. Measures the app, not the wire: it works the
 * same against one full answer or pages.
 *
 *   npm run bench -- --only=new-phone [--scales=1,10] [--quick]
 */
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import pg from 'pg'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { setUpFirstAccount, signIn, type Session } from '@offline-sync/test-support/node-device'
import { startServerProcess, treeRss } from '@offline-sync/test-support/server-process'
import { resetAndSeed, SEEDED_CURSOR } from '../seed-base.ts'
import { baseContact, baseSizes, editsRequest, noChangeRequest } from '../workload.ts'
import { ensureAppBuilt } from './app-build.ts'
import type { OfflineRecordsApi } from './offline-records-page.ts'
import type { PhoneProbe, ProbeState } from './phone-probe.ts'
import { peakGrowth } from './process-memory.ts'
import { TARGETS, type NewPhoneFigures } from './targets.ts'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')

/** Long enough for a busy machine at 100× on today's one full answer (40 s measured in the issue). */
const WAIT_MS = 10 * 60_000
const SYNC_SETTINGS_KEY = 'offline-sync:sync-settings'
/** Every automatic sync off but the one at startup (a new phone's download); the upload phone has none at all. */
const DOWNLOAD_SETTINGS = {
  afterChanges: false,
  onOpen: true,
  onReconnect: false,
  live: false,
  everyMinutes: 0,
}
const UPLOAD_SETTINGS = { ...DOWNLOAD_SETTINGS, onOpen: false }
const CREDENTIALS = { email: 'new-phone@example.test', password: 'new phone benchmark password' }
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  })
  const code = result.outputFiles[0]?.text
  if (!code) throw new Error(`esbuild produced no bundle for ${entry}`)
  return code
}

/** Encoded bytes of the sync requests' answers (CDP Network events) and of their bodies, from `reset()` on. */
async function watchWire(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  const isSync = (url: string) => {
    const path = new URL(url).pathname
    return path.startsWith('/api/sync') && !path.startsWith('/api/sync/events')
  }
  const urls = new Map<string, string>()
  let down = 0
  let up = 0
  let requests = 0
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url)
    if (isSync(e.request.url)) requests++
  })
  // Request bodies: CDP leaves large ones out of its events; Playwright fetches them.
  page.on('requestfinished', (request) => {
    if (!isSync(request.url())) return
    void request.sizes().then((sizes) => (up += sizes.requestBodySize))
  })
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId)
    if (url && isSync(url)) down += e.encodedDataLength
  })
  return {
    reset() {
      down = 0
      up = 0
      requests = 0
    },
    read: () => ({ down, up, requests }),
  }
}

async function newPhone(browser: Browser, baseURL: string, settings: object, probe: string) {
  // Service workers off: a phone's precache runs while the person types the password, not during the download.
  const context = await browser.newContext({ ...PHONE, baseURL, serviceWorkers: 'block' })
  await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [
    SYNC_SETTINGS_KEY,
    JSON.stringify(settings),
  ] as const)
  await context.addInitScript({ content: probe })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto('/')
  await page.locator('[data-testid="auth-screen"][data-screen="sign-in"]').waitFor({ timeout: 60_000 })
  await page.getByLabel('Email').fill(CREDENTIALS.email)
  await page.getByLabel('Password').fill(CREDENTIALS.password)
  return { context, page, errors }
}

const state = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __phone: PhoneProbe }).__phone.state)

async function waitFor(page: Page, what: keyof ProbeState, label: string): Promise<ProbeState> {
  try {
    await page.waitForFunction(
      (key) => (globalThis as unknown as { __phone: PhoneProbe }).__phone.state[key] !== undefined,
      what,
      { timeout: WAIT_MS, polling: 50 },
    )
  } catch (error) {
    throw new Error(`${label}: never reached (${JSON.stringify(await state(page))})`, { cause: error })
  }
  return state(page)
}

/** A delta sync tapped on the phone: from the tap until its answer is applied. */
async function timedSync(page: Page): Promise<number> {
  await page.locator('[data-testid="sync-bar"][data-state="idle"]').waitFor({ timeout: WAIT_MS })
  await page.evaluate(() => (globalThis as unknown as { __phone: PhoneProbe }).__phone.watchSync())
  await page.getByTestId('sync-button').click()
  const s = await waitFor(page, 'syncedAt', 'a tapped sync')
  return (s.syncedAt ?? Number.NaN) - (s.clickAt ?? Number.NaN)
}

/** Another device's sync straight over HTTP, as a delta from the seed's cursor (a small answer). */
async function syncElsewhere(baseURL: string, session: Session, request: object): Promise<void> {
  const body = { ...request, cursor: SEEDED_CURSOR }
  const response = await fetch(`${baseURL}/api/sync`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      'x-account-id': String(session.userId),
    },
    body: JSON.stringify(body),
  })
  if (response.status !== 200)
    throw new Error(`the other device's sync answered ${response.status}: ${await response.text()}`)
}

/** The name a contact has on the phone, read by uid from IndexedDB. */
const contactName = (page: Page, uid: string) =>
  page.evaluate(async (key) => {
    const raw = localStorage.getItem('offline-sync:account') ?? '{}'
    const name = `companies-contacts-${(JSON.parse(raw) as { id: number }).id}`
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open(name)
      r.onsuccess = () => ok(r.result)
      r.onerror = () => fail(r.error ?? new Error('open failed'))
    })
    try {
      return await new Promise<unknown>((ok, fail) => {
        const r = db.transaction('contacts').objectStore('contacts').get(key)
        r.onsuccess = () => ok((r.result as { name?: unknown } | undefined)?.name)
        r.onerror = () => fail(r.error ?? new Error('get failed'))
      })
    } finally {
      db.close()
    }
  }, uid)

export interface NewPhoneOptions {
  scales: readonly number[]
  /** Records the upload phone makes offline (the 1,000 + 10,000 unless a quick run asks for fewer). */
  upload?: { companies: number; contacts: number }
  log: (line: string) => void
}

export async function runNewPhoneBench(options: NewPhoneOptions): Promise<NewPhoneFigures[]> {
  const { log } = options
  const upload = options.upload ?? TARGETS.uploadRecords
  await ensureAppBuilt(root, log)
  const [probe, offlineRecords] = await Promise.all([
    bundle('phone-probe.ts'),
    bundle('offline-records-page.ts'),
  ])
  const logDir = mkdtempSync(join(tmpdir(), 'bench-new-phone-'))
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  })
  const figures: NewPhoneFigures[] = []
  try {
    for (const scale of options.scales) {
      figures.push(await oneScale(browser, scale, upload, { probe, offlineRecords, logDir }, log))
    }
  } finally {
    await browser.close()
  }
  log(`new phone: server logs in ${logDir}`)
  return figures
}

async function oneScale(
  browser: Browser,
  scale: number,
  upload: { companies: number; contacts: number },
  scripts: { probe: string; offlineRecords: string; logDir: string },
  log: (line: string) => void,
): Promise<NewPhoneFigures> {
  const loadBefore = loadavg()[0] ?? 0
  const sizes = baseSizes(scale)
  const database = await createThrowawayDatabase(
    process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  )
  const unlimited = '1000000'
  const server = await startServerProcess({
    databaseUrl: database.url,
    logFile: join(scripts.logDir, `server-${scale}x.log`),
    env: {
      WEB_DIST_DIR: join(root, 'apps/web/dist'),
      // BENCH_SERVER_LOG_LEVEL=info logs every request with its duration, for finding where a download's time goes.
      LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn',
      RATE_LIMIT_SIGN_IN: unlimited,
      RATE_LIMIT_SIGN_IN_IP: unlimited,
      RATE_LIMIT_SYNC: unlimited,
      RATE_LIMIT_SYNC_ACCOUNT: unlimited,
    },
  })
  const contexts: BrowserContext[] = []
  try {
    log(`new phone ${scale}×: seeding ${sizes.companies} companies + ${sizes.contacts} contacts`)
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      await resetAndSeed(
        { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows },
        scale,
      )
    } finally {
      await client.end()
    }
    await setUpFirstAccount(server.baseURL, CREDENTIALS)
    // Also warms the server's password hashing, so its memory is in the baseline, not in the download's growth.
    const elsewhere = await signIn(server.baseURL, CREDENTIALS)
    // The server's first sync loads its sync code and database client (about 130 MB measured at every scale): a
    // cost of the process, not of the download, so it is paid before the baseline.
    await syncElsewhere(server.baseURL, elsewhere, noChangeRequest(1_000_000, SEEDED_CURSOR))

    // --- The download: a new phone signs in.
    log(`new phone ${scale}×: signing in`)
    const phone = await newPhone(browser, server.baseURL, DOWNLOAD_SETTINGS, scripts.probe)
    contexts.push(phone.context)
    const wire = await watchWire(phone.context, phone.page)
    await phone.page.evaluate(
      (expected) => (globalThis as unknown as { __phone: PhoneProbe }).__phone.watch(expected),
      sizes,
    )
    wire.reset()
    // The baseline is taken at the sign-in's answer: its password hash costs 128 MiB for a moment (scrypt,
    // N = 2^17, r = 8), whatever the data, and would otherwise be the whole of this figure at every scale.
    const signedIn = phone.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/sign-in')
    await phone.page.getByTestId('auth-submit').click()
    await signedIn
    const memory = peakGrowth(() => treeRss(server.pid))
    const s = await waitFor(phone.page, 'allAt', `${scale}×: all data on the new phone`)
    const growth = memory.stop()
    const downloaded = wire.read()
    const since = (t: number | undefined) => (t ?? Number.NaN) - (s.signedInAt ?? Number.NaN)
    const firstRow = await waitFor(phone.page, 'firstRowAt', `${scale}×: a company row on screen`)

    // --- Small syncs on the phone that now holds everything.
    log(`new phone ${scale}×: no-op and 10-edit syncs`)
    const noopSyncMs = await timedSync(phone.page)
    await syncElsewhere(server.baseURL, elsewhere, editsRequest(scale, 10, 1))
    const editsSyncMs = await timedSync(phone.page)
    const edited = await contactName(phone.page, baseContact(1).uid)
    if (typeof edited !== 'string' || !edited.endsWith('(edit 1)'))
      throw new Error(`${scale}×: the 10-edit sync did not bring the edit (contact 1 is "${String(edited)}")`)
    if (phone.errors.length > 0) throw new Error(`page errors: ${phone.errors.join('; ')}`)
    await phone.context.close()

    // --- The first upload: another new phone makes records offline, then syncs.
    log(`new phone ${scale}×: first upload of ${upload.companies} + ${upload.contacts} made offline`)
    const maker = await newPhone(browser, server.baseURL, UPLOAD_SETTINGS, scripts.probe)
    contexts.push(maker.context)
    await maker.page.getByTestId('auth-submit').click()
    await maker.page.getByTestId('sync-bar').waitFor({ timeout: 60_000 })
    await maker.context.setOffline(true)
    await maker.page.evaluate(scripts.offlineRecords)
    const made = await maker.page.evaluate(async (counts) => {
      const raw = localStorage.getItem('offline-sync:account') ?? '{}'
      const dbName = `companies-contacts-${(JSON.parse(raw) as { id: number }).id}`
      const api = (globalThis as unknown as { __offlineRecords: OfflineRecordsApi }).__offlineRecords
      return api.makeOffline(dbName, counts.companies, counts.contacts)
    }, upload)
    if (made.companies !== upload.companies || made.contacts !== upload.contacts || made.errors !== 0)
      throw new Error(`${scale}×: the offline records came out as ${JSON.stringify(made)}`)
    await maker.context.setOffline(false)
    await maker.page.locator('[data-testid="online-status"][data-online="true"]').waitFor({ timeout: 60_000 })
    const upWire = await watchWire(maker.context, maker.page)
    await maker.page.evaluate(
      (expected) => (globalThis as unknown as { __phone: PhoneProbe }).__phone.watch(expected),
      { companies: sizes.companies + upload.companies, contacts: sizes.contacts + upload.contacts },
    )
    upWire.reset()
    await maker.page.getByTestId('sync-button').click()
    const u = await waitFor(maker.page, 'allAt', `${scale}×: the first upload synced`)
    const acknowledged = await waitFor(
      maker.page,
      'uploadedAt',
      `${scale}×: nothing pending after the upload`,
    )
    const sent = upWire.read()
    if (maker.errors.length > 0) throw new Error(`page errors: ${maker.errors.join('; ')}`)

    const figures: NewPhoneFigures = {
      scale,
      companies: sizes.companies,
      contacts: sizes.contacts,
      signInMs: (s.signedInAt ?? Number.NaN) - (s.submitAt ?? Number.NaN),
      first50Ms: since(s.first50At),
      firstScreenMs: since(firstRow.firstRowAt),
      allDataMs: since(s.allAt),
      serverPeakGrowthBytes: growth,
      downloadWireBytes: downloaded.down,
      downloadRequests: downloaded.requests,
      noopSyncMs,
      editsSyncMs,
      upload: {
        companies: made.companies,
        contacts: made.contacts,
        makeMs: made.ms,
        acknowledgedMs: (acknowledged.uploadedAt ?? Number.NaN) - (u.clickAt ?? Number.NaN),
        syncedMs: (u.allAt ?? Number.NaN) - (u.clickAt ?? Number.NaN),
        wireUpBytes: sent.up,
        wireDownBytes: sent.down,
        requests: sent.requests,
      },
      load: [round2(loadBefore), round2(loadavg()[0] ?? 0)],
    }
    log(`new phone ${scale}×: ${JSON.stringify(figures)}`)
    return figures
  } finally {
    for (const context of contexts) await context.close().catch(() => {})
    await server.stop()
    await database.drop()
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100

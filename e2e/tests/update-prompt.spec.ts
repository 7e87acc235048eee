import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { e2eServerEnv, signInContext } from '../support/accounts.ts'
import { AppPage } from '../support/app-page.ts'
import { repoRoot, resultsDir } from '../support/paths.ts'
import { startServer, type ServerProcess } from '../support/server-process.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { test, expect } from '../support/test.ts'

/**
 * A release while the app is open: the server starts serving a new build, the installed worker finds it, and the
 * app asks before switching (the new worker never takes over by itself: register-sw.ts). This test needs a server
 * of its own, serving a copy of the build that it can change; it shares the run's database, so the run's account
 * signs in as everywhere else.
 */
let server: ServerProcess
let distDir: string

test.beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'e2e-dist-'))
  cpSync(join(repoRoot, 'apps/web/dist'), distDir, { recursive: true })
  const databaseUrl = process.env.E2E_DATABASE_URL
  if (!databaseUrl) throw new Error('E2E_DATABASE_URL is not set: global setup creates the database')
  server = await startServer({
    databaseUrl,
    logFile: join(resultsDir, 'update-prompt-server.log'),
    env: { ...e2eServerEnv, WEB_DIST_DIR: distDir },
  })
})

test.afterAll(async () => {
  await server?.stop()
  rmSync(distDir, { recursive: true, force: true })
})

/**
 * Publishes "version 2" into the served copy: index.html gains a marker and the worker's precache manifest a new
 * revision for it, as a real build would write (a changed sw.js is what makes the browser install a new worker).
 */
function publishNextVersion() {
  const indexFile = join(distDir, 'index.html')
  writeFileSync(
    indexFile,
    readFileSync(indexFile, 'utf8').replace('<head>', '<head><meta name="app-version" content="2" />'),
  )
  const swFile = join(distDir, 'sw.js')
  const worker = readFileSync(swFile, 'utf8')
  // The worker is src/sw.ts with the manifest injected as JSON (vite-plugin-pwa injectManifest).
  const next = worker.replace(/("revision":")[0-9a-f]+(","url":"index\.html")/, '$1next-version$2')
  if (next === worker) throw new Error('sw.js has no precache entry for index.html: the build changed shape')
  writeFileSync(swFile, next)
}

test('a new version waits for the user: the prompt appears, Reload switches, local data stays', async ({
  browser,
  device,
  unique,
}) => {
  const { company } = await device.addCompany({ name: unique('Across Versions') })
  const context = await browser.newContext({ baseURL: server.baseURL })
  try {
    await signInContext(context.request, server.baseURL)
    const page = await context.newPage()
    const app = new AppPage(page)
    await app.openSynced()
    await app.waitForServiceWorker()
    await expect(page.getByTestId('update-prompt')).toHaveCount(0)
    const versionMeta = page.locator('meta[name="app-version"]')
    await expect(versionMeta).toHaveCount(0)

    publishNextVersion()
    // A navigation makes the browser check /sw.js (served with no-cache): it installs the new worker, which waits.
    await page.reload()
    await expect(page.getByTestId('update-prompt')).toBeVisible()
    await expect(page.getByTestId('update-prompt')).toContainText('A new version is available.')
    // Until the user accepts, the old version keeps running.
    await expect(versionMeta).toHaveCount(0)
    await expect(app.companyRow(company.name)).toBeVisible()
    await saveScreenshot(page, 'update-prompt')
    await expectAccessible(page, 'the list with the update prompt')

    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()])
    await expect(versionMeta).toHaveAttribute('content', '2')
    await expect(page.getByTestId('update-prompt')).toHaveCount(0)
    await expect(app.companyRow(company.name)).toBeVisible()
  } finally {
    await context.close()
  }
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from '@playwright/test'
import { test, expect } from '../support/test.ts'
import { chromiumLaunchOptions, phone } from '../support/chromium.ts'
import { waitForServiceWorker } from '../support/browser-state.ts'

/**
 * Chromium judges installability only for a real profile on disk, not for the incognito-like contexts Playwright
 * creates by default: this test launches its own persistent context.
 */
async function withPersistentProfile(baseURL: string, work: (context: BrowserContext) => Promise<void>) {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    ...phone,
    baseURL,
  })
  try {
    await work(context)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

test('Chromium reports no installability errors', async ({ baseURL }) => {
  await withPersistentProfile(baseURL!, async (context) => {
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto('/')
    await waitForServiceWorker(page)
    const cdp = await context.newCDPSession(page)
    try {
      const manifest = await cdp.send('Page.getAppManifest', {})
      expect(manifest.errors, 'the web manifest parses cleanly').toEqual([])
      await expect
        .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors)
        .toEqual([])
    } finally {
      await cdp.detach()
    }
  })
})

test('the app asks the browser to keep its data (navigator.storage.persist)', async ({ page }) => {
  // Record the app's calls. Without a grant, a fresh profile is not persisted yet, so the app must ask.
  // (Granting 'persistent-storage' up front would make persisted() true and the app rightly skip the question.)
  await page.addInitScript(() => {
    const persist = StorageManager.prototype.persist
    const calls = { count: 0 }
    Object.defineProperty(window, '__persistCalls', { value: calls })
    StorageManager.prototype.persist = function (this: StorageManager) {
      calls.count += 1
      return persist.call(this)
    }
  })
  await page.goto('/')
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { __persistCalls: { count: number } }).__persistCalls.count),
    )
    .toBe(1)
})

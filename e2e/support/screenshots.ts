import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test, type Page } from '@playwright/test'
import { screenshotDir } from './paths.ts'

/**
 * Saves a phone-size screenshot of the current screen (the viewport, as a phone shows it) as
 * `artifacts/screenshots/<name>.png`, overwritten each run, and attaches it to the test's report.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `${name}.png`)
  // A blinking caret or a running transition would make the same screen differ between runs.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' })
  await test.info().attach(name, { path, contentType: 'image/png' })
}

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { AXE_TAGS } from '../support/axe-tags.ts'
import type { SeededData } from './audit-session.ts'

export interface Screen {
  name: string
  path: string
  /** A test id that is on screen once it has loaded. */
  ready: string
}

/** Every screen of the app that exists in this build; `/history` only once the sync journal has landed. */
export function appScreens(data: SeededData, withJournal: boolean): Screen[] {
  const screens: Screen[] = [
    { name: 'companies', path: '/', ready: 'company-list' },
    { name: 'company', path: `/companies/${data.companyUid}`, ready: 'company-page' },
    { name: 'company-new', path: '/companies/new', ready: 'company-form' },
    { name: 'company-edit', path: `/companies/${data.companyUid}/edit`, ready: 'company-form' },
    { name: 'contact-new', path: `/companies/${data.companyUid}/contacts/new`, ready: 'contact-form' },
    { name: 'contact-edit', path: `/contacts/${data.contactUid}/edit`, ready: 'contact-form' },
    { name: 'attention', path: '/attention', ready: 'sync-bar' },
    { name: 'device', path: '/device', ready: 'device-status' },
  ]
  if (withJournal) screens.push({ name: 'journal', path: '/history', ready: 'sync-bar' })
  return screens
}

/** Whether this build has the sync journal screen: the app answers `/history` with something else than "not found". */
export async function hasJournal(page: Page): Promise<boolean> {
  await page.goto('/history')
  const heading = page.locator('main h1')
  await heading.waitFor()
  return !/not found/i.test((await heading.textContent()) ?? '')
}

/** Opens a screen and waits until it shows its content and the startup sync is over (no spinner mid-scan). */
export async function openScreen(page: Page, screen: Pick<Screen, 'path' | 'ready'>): Promise<void> {
  await page.goto(screen.path)
  await page.getByTestId(screen.ready).first().waitFor()
  await page.locator('main h1').waitFor()
  await page
    .locator('[data-testid="sync-bar"][data-state="idle"], [data-testid="sync-bar"][data-state="error"]')
    .waitFor()
  await page.getByText('Loading…').waitFor({ state: 'detached' })
}

export interface ScreenResult {
  name: string
  violations: { id: string; impact: string | null | undefined; help: string; targets: string[] }[]
}

/** WCAG 2.x A and AA plus axe's best practices: "no violations" means none of these. */

/** axe-core on the page as it is now, and a phone-size screenshot into `screenshotDir/<name>.png`. */
export async function auditScreen(page: Page, name: string, screenshotDir: string): Promise<ScreenResult> {
  mkdirSync(screenshotDir, { recursive: true })
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled', caret: 'hide' })
  return {
    name,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((node) => node.target.join(' ')),
    })),
  }
}

import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { signInContext } from './accounts.ts'
import { AppPage } from './app-page.ts'

/** One phone: its own browser context (own IndexedDB, cookie jar, service worker), signed in, the app open. */
export interface Phone {
  context: BrowserContext
  page: Page
  app: AppPage
}

/** Opens a phone on `baseURL`, signed in as the run's account, and waits for its startup sync. */
export async function openPhone(browser: Browser, baseURL: string): Promise<Phone> {
  const context = await browser.newContext({ baseURL })
  await signInContext(context.request, baseURL)
  const page = await context.newPage()
  const app = new AppPage(page)
  await app.open()
  // Two phones (and maybe two servers) on a shared machine: the startup sync may take longer than one expect.
  await expect(app.lastSynced).not.toHaveText(/never/i, { timeout: 60_000 })
  await app.expectSynced()
  return { context, page, app }
}

/** The Settings screen, through the main navigation. */
export async function openSettings(app: AppPage): Promise<void> {
  await app.page.getByTestId('nav-settings').click()
  await expect(app.title).toHaveText('Settings')
}

/** Waits until the phone's live-updates stream is in `state` (shown on the Settings screen). */
export async function expectLiveState(app: AppPage, state: 'open' | 'ended' | 'stopped'): Promise<void> {
  await expect(app.page.getByTestId('live-status')).toHaveAttribute('data-state', state, { timeout: 30_000 })
}

import { randomBytes } from 'node:crypto'
import { test as base, expect } from '@playwright/test'
import { AnotherDevice } from './another-device.ts'
import { AppPage } from './app-page.ts'
import { signInContext } from './accounts.ts'
import { manualSyncOnly } from './sync-settings.ts'

interface Options {
  /** Whether the context is signed in (as the run's account) before the test opens the app. Default true. */
  signedIn: boolean
  /**
   * 'manual': the app starts with "after my changes", live updates and the periodic sync off (sync-settings.ts),
   * for journeys that must decide when a sync runs. Default 'on', the app's own defaults.
   */
  automaticSync: 'on' | 'manual'
}

interface Fixtures {
  /** The app in this test's own browser context (fresh IndexedDB, fresh service worker registration). */
  app: AppPage
  /** A second installation that arranges and reads server data over the real API. */
  device: AnotherDevice
  /** A name no other test uses: the server database is shared by the whole run. */
  unique: (prefix: string) => string
}

export const test = base.extend<Fixtures & Options>({
  signedIn: [true, { option: true }],
  automaticSync: ['on', { option: true }],
  // Global setup started the server on a free port and left its address in the environment.
  // Playwright reads a fixture's dependencies from its destructuring pattern, so an empty one is required.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL
    if (!url) throw new Error('E2E_BASE_URL is not set: run the suite with -c e2e/playwright.config.ts')
    await use(url)
  },
  // Signed in before any page opens: the context's request shares its cookie jar with the pages, so the app starts
  // with a session and adopts that account, as after a real sign-in.
  context: async ({ context, baseURL, signedIn, automaticSync }, use) => {
    if (automaticSync === 'manual') await manualSyncOnly(context)
    if (signedIn) await signInContext(context.request, baseURL as string)
    await use(context)
  },
  app: async ({ page }, use) => {
    await use(new AppPage(page))
  },
  device: async ({ baseURL }, use) => {
    await use(new AnotherDevice(baseURL as string))
  },
  // eslint-disable-next-line no-empty-pattern
  unique: async ({}, use) => {
    await use((prefix) => `${prefix} ${randomBytes(3).toString('hex')}`)
  },
})

export { expect }

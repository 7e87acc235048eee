import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { phone } from '../support/chromium.ts'
import { resultsDir } from '../support/paths.ts'
import { startServer } from '../support/server-process.ts'
import { createFirstAccount, e2eServerEnv, signInContext } from '../support/accounts.ts'
import { AnotherDevice } from '../support/another-device.ts'
import { AppPage } from '../support/app-page.ts'
import { manualSyncOnly } from '../support/sync-settings.ts'
import { readLocalRecords } from '../support/browser-state.ts'

/**
 * Issue 16 on a new phone: the first download of a few thousand records comes in pages (rules G1, G9, G10), the
 * sync bar shows a real progress bar (records stored of the total, and the percent), and the list already shows
 * the first page's companies while the rest is on its way.
 */

const COMPANIES = 300
const CONTACTS_EACH = 10
const TOTAL = COMPANIES * (1 + CONTACTS_EACH)
const FIRST_PAGE = 100
const PAGE = 1_000

test('a first download in pages shows a progress bar with records and percent while the list fills', async ({
  browser,
}) => {
  // A server of its own to start, an account to create and 3,300 records to seed before the journey begins.
  test.setTimeout(5 * 60_000)
  // A server of its own, with small pages: the run's server holds the other journeys' data.
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = await createThrowawayDatabase(adminUrl)
  try {
    const server = await startServer({
      databaseUrl: database.url,
      logFile: join(resultsDir, 'e2e-paged-download-server.log'),
      env: {
        ...e2eServerEnv,
        SYNC_FIRST_PAGE_RECORDS: String(FIRST_PAGE),
        SYNC_PAGE_RECORDS: String(PAGE),
      },
    })
    const credentials = { email: 'pages@example.com', password: 'a long enough password' }
    const context = await browser.newContext({ ...phone, baseURL: server.baseURL })
    try {
      await createFirstAccount(server.baseURL, credentials)
      await seed(new AnotherDevice(server.baseURL, credentials))
      // Only the startup sync runs by itself: the journey holds the download between two pages.
      await manualSyncOnly(context)
      await signInContext(context.request, server.baseURL, credentials)
      const page = await context.newPage()
      const pages = await pageTheDownload(page)

      const app = new AppPage(page)
      await app.open()
      await pages.secondAsked

      // Between two pages: the bar says how far the download is, and the first page's companies are listed.
      const bar = page.getByRole('progressbar', { name: 'Downloading records' })
      await expect(bar).toBeVisible()
      const stored = pages.firstPageRecords
      await expect(bar).toHaveAttribute('max', String(TOTAL))
      await expect(bar).toHaveAttribute('value', String(stored))
      const percent = Math.floor((stored / TOTAL) * 100)
      await expect(page.getByTestId('sync-progress')).toContainText(
        `${stored.toLocaleString('en')} of ${TOTAL.toLocaleString('en')} records · ${percent}%`,
      )
      await expect(app.companyRow('Paged Co 001')).toBeVisible()
      await expectAccessible(page, 'the sync bar during a download')

      pages.release()
      await expect(bar).toHaveCount(0)
      await app.expectSynced()
      const local = await readLocalRecords(page)
      expect(local.companies).toHaveLength(COMPANIES)
      expect(local.contacts).toHaveLength(COMPANIES * CONTACTS_EACH)
      expect(local.outbox).toEqual([])
      expect(pages.asked.length).toBeGreaterThan(1)
    } finally {
      await context.close()
      await server.stop()
    }
  } finally {
    await database.drop()
  }
})

/** 300 companies, 10 contacts each, in one sync of another device. */
async function seed(device: AnotherDevice): Promise<void> {
  let nextId = -1
  const companies = Array.from({ length: COMPANIES }, (_, i) => ({
    id: nextId--,
    uid: randomUUID(),
    name: `Paged Co ${String(i + 1).padStart(3, '0')}`,
    address: null,
    phone: null,
    email: null,
    website: null,
  }))
  const contacts = companies.flatMap((company) =>
    Array.from({ length: CONTACTS_EACH }, (_, j) => ({
      id: nextId--,
      uid: randomUUID(),
      companyId: company.id,
      name: `${company.name} person ${j + 1}`,
      jobTitle: null,
      email: null,
      phone: null,
    })),
  )
  const answer = await device.sync({ companies: { added: companies }, contacts: { added: contacts } })
  expect(answer.rejected).toEqual([])
}

type Body = Record<string, unknown> & {
  companies: unknown[]
  contacts: unknown[]
  page: { next: string | null; total: Record<string, number> } | null
}

/**
 * Routes the app's syncs: the request for the download's second page waits until `release()`, so the journey can
 * look at the app between two pages. A server that answers a full read in pages (rule G1) is asked for every page
 * itself; one that answers in one page (the server before issue 16's) has its real answer served in pages of the
 * same sizes here, under tokens of this route's own, so the app meets the same paged download either way.
 */
async function pageTheDownload(page: Page) {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let secondAsked!: () => void
  const asked: string[] = []
  const state = {
    asked,
    release,
    firstPageRecords: 0,
    secondAsked: new Promise<void>((resolve) => (secondAsked = resolve)),
  }
  let whole: Body | null = null
  const slice = (offset: number, size: number): Body => {
    const all = [
      ...whole!.companies.map((r) => ['companies', r] as const),
      ...whole!.contacts.map((r) => ['contacts', r] as const),
    ]
    const part = all.slice(offset, offset + size)
    const end = offset + part.length
    return {
      ...whole!,
      companies: part.filter(([k]) => k === 'companies').map(([, r]) => r),
      contacts: part.filter(([k]) => k === 'contacts').map(([, r]) => r),
      page: {
        next: end < all.length ? `e2e-${end}` : null,
        total: { companies: whole!.companies.length, contacts: whole!.contacts.length },
      },
    }
  }
  await page.route('**/api/sync', async (route) => {
    const request = route.request().postDataJSON() as { cursor?: string | null; page?: string | null }
    // The catch-up delta after the download, and any later sync: the server as it is.
    if (request.cursor) return route.continue()
    if (!request.page) {
      const response = await route.fetch()
      const body = (await response.json()) as Body
      if (body.page?.next) {
        state.firstPageRecords = body.companies.length + body.contacts.length
        return route.fulfill({ response, json: body })
      }
      whole = body
      const first = slice(0, FIRST_PAGE)
      state.firstPageRecords = FIRST_PAGE
      return route.fulfill({ response, json: first })
    }
    asked.push(request.page)
    if (asked.length === 1) {
      secondAsked()
      await released
    }
    if (!whole) return route.continue()
    const offset = Number(request.page.replace('e2e-', ''))
    return route.fulfill({ json: slice(offset, PAGE) })
  })
  return state
}

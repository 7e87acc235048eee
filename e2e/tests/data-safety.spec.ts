import type { BrowserContext, Page } from '@playwright/test'
import { test, expect } from '../support/test.ts'
import { saveScreenshot } from '../support/screenshots.ts'

/**
 * Issue 6 point 4: the app keeps unsynced work safe on the device and says when it is not. Persistent storage is
 * granted or denied through the DevTools protocol, so each test knows the browser's answer.
 *
 * A full disk is simulated in the page: this Chromium (156) accepts `Storage.overrideQuotaForOrigin` but does
 * not apply it (estimate() and writes ignore it), so while `__fullDisk` is set every IndexedDB put/add throws the
 * QuotaExceededError DOMException a full disk gives. The app, Dexie and IndexedDB's transaction abort are real.
 */
async function setPersistentStorage(context: BrowserContext, page: Page, origin: string, granted: boolean) {
  const cdp = await context.newCDPSession(page)
  // Without the id Chromium sets the permission for its default context, not for this test's own context.
  // The session stays attached: Chromium drops a permission override when the session that set it detaches.
  const { targetInfo } = await cdp.send('Target.getTargetInfo')
  await cdp.send('Browser.setPermission', {
    permission: { name: 'persistent-storage' },
    setting: granted ? 'granted' : 'denied',
    origin,
    browserContextId: targetInfo.browserContextId,
  })
}

async function simulateFullDisk(page: Page) {
  await page.addInitScript(() => {
    const flags = { full: false }
    Object.defineProperty(window, '__fullDisk', {
      get: () => flags.full,
      set: (value: boolean) => (flags.full = value),
    })
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method]
      IDBObjectStore.prototype[method] = function (
        this: IDBObjectStore,
        ...args: Parameters<typeof original>
      ) {
        if (flags.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        return original.apply(this, args)
      }
    }
  })
}

const setFullDisk = (page: Page, full: boolean) =>
  page.evaluate((value) => ((window as unknown as { __fullDisk: boolean }).__fullDisk = value), full)

const storageWarning = (page: Page) => page.getByTestId('storage-warning')

async function openDevicePage(page: Page) {
  await page.getByTestId('nav-device').click()
  await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toHaveText('This device')
}

test('shows the space used and left, and warns while unsynced changes sit in storage the browser may evict', async ({
  app,
  page,
  context,
  baseURL,
  unique,
}) => {
  await page.goto('about:blank')
  await setPersistentStorage(context, page, new URL(baseURL!).origin, false)
  await app.openSynced()
  await app.waitForServiceWorker()
  await expect(storageWarning(page), 'nothing unsynced, nothing at risk').toHaveCount(0)

  await context.setOffline(true)
  await app.expectOnline(false)
  const name = unique('Unsynced Ltd')
  await app.createCompany({ Name: name })
  await app.expectPending(1)
  await expect(storageWarning(page).getByTestId('storage-risk')).toHaveAttribute(
    'data-kind',
    'not-persistent',
  )
  await expect(storageWarning(page)).toContainText('may delete')

  await openDevicePage(page)
  await expect(page.getByTestId('device-persisted')).toHaveAttribute('data-persisted', 'false')
  await expect(page.getByTestId('device-pending')).toHaveText('1')
  const usage = page.getByTestId('device-usage')
  await expect(usage).toHaveText(
    /^[\d.]+ (bytes|KB|MB|GB) of [\d.]+ (KB|MB|GB|TB) \([\d.]+ (KB|MB|GB|TB) left\)$/,
  )
  expect(Number(await usage.getAttribute('data-usage'))).toBeGreaterThan(0)
  expect(Number(await usage.getAttribute('data-quota'))).toBeGreaterThan(0)
  await saveScreenshot(page, 'device-at-risk')

  // Back online, the sync takes the change to the server: nothing is at risk any more.
  await context.setOffline(false)
  await app.syncNow()
  await app.expectPending(0)
  await expect(storageWarning(page)).toHaveCount(0)
})

test('with persistent storage granted, unsynced changes raise no warning', async ({
  app,
  page,
  context,
  baseURL,
  unique,
}) => {
  await page.goto('about:blank')
  await setPersistentStorage(context, page, new URL(baseURL!).origin, true)
  await app.openSynced()
  await app.waitForServiceWorker()
  await context.setOffline(true)
  await app.expectOnline(false)
  await app.createCompany({ Name: unique('Kept Ltd') })
  await app.expectPending(1)
  await openDevicePage(page)
  await expect(page.getByTestId('device-persisted')).toHaveAttribute('data-persisted', 'true')
  await expect(page.getByTestId('device-persisted')).toContainText('will not delete')
  await expect(storageWarning(page)).toHaveCount(0)
  await saveScreenshot(page, 'device')
})

test('a full disk: adding a company fails with a clear message, earlier data stays, and it saves once there is room', async ({
  app,
  page,
  unique,
}) => {
  await simulateFullDisk(page)
  await app.openSynced()
  const kept = unique('Kept Ltd')
  await app.createCompany({ Name: kept, Address: '1 Quay Street' })
  await app.syncNow()
  await app.expectPending(0)
  const before = await app.local()

  await setFullDisk(page, true)
  try {
    const lost = unique('Too Much Ltd')
    await app.startCreatingCompany({ Name: lost, Address: 'x'.repeat(500) })
    await app.save()
    await expect(page.getByTestId('form-error')).toContainText('no storage space left')
    await expect(page.getByTestId('form-error')).toContainText('Your earlier data is unchanged')
    await expect(app.title, 'the form stays open with what was typed').toHaveText('Add company')
    await saveScreenshot(page, 'company-form-quota-error')
    expect(await app.local(), 'nothing half-written').toEqual(before)
    await app.page.getByTestId('cancel-button').click()
    await expect(app.companyRow(kept)).toBeVisible()
    await expect(app.companyRow(lost)).toHaveCount(0)
  } finally {
    await setFullDisk(page, false)
  }

  // With room again the same add simply works.
  const later = unique('Later Ltd')
  await app.createCompany({ Name: later })
  await app.expectPending(1)
})

// The journey decides when syncs run: a live pull of the other device's company would apply it before the
// tapped sync whose answer cannot be stored.
test.describe('a sync whose answer cannot be stored', () => {
  test.use({ automaticSync: 'manual' })

  test('a sync that cannot be stored keeps the device as it was, says why, and applies once there is room', async ({
    app,
    page,
    device,
    unique,
  }) => {
    await simulateFullDisk(page)
    await app.openSynced()
    const before = await app.local()
    const theirs = unique('Elsewhere Ltd')
    await device.addCompany({ name: theirs, address: 'y'.repeat(500) })

    // The disk fills up while the request is on the wire: collecting (which parks the request) worked, applying
    // the answer will not.
    await page.route('**/api/sync', async (route) => {
      await setFullDisk(page, true)
      await route.continue()
    })
    try {
      // Not app.syncNow(): that waits for an idle bar, and this sync ends in an error.
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sync')
      await app.syncButton.click()
      await answered
      await expect(app.syncBar).toHaveAttribute('data-state', 'error')
      await expect(app.syncError).toHaveAttribute('data-kind', 'storage')
      await expect(app.syncError).toContainText('storage space')
      await saveScreenshot(page, 'sync-quota-error')
      const after = await app.local()
      expect({ ...after, outbox: [] }, 'nothing of the response applied').toEqual(before)
      expect(after.outbox, 'the sent request stays parked for the resend').toHaveLength(1)
      await app.goHome()
      await expect(app.companyRow(theirs)).toHaveCount(0)
    } finally {
      await page.unrouteAll()
      await setFullDisk(page, false)
    }

    await app.syncNow()
    await expect(app.syncError).toHaveCount(0)
    await expect(app.companyRow(theirs)).toBeVisible()
  })
})

test('the storage notice can be dismissed, stays away while the same risk lasts, and the Device page keeps the full text', async ({
  app,
  page,
  context,
  baseURL,
  unique,
}) => {
  await page.goto('about:blank')
  await setPersistentStorage(context, page, new URL(baseURL!).origin, false)
  await app.openSynced()
  await app.waitForServiceWorker()
  await context.setOffline(true)
  await app.expectOnline(false)
  await app.createCompany({ Name: unique('Notice Ltd') })
  await expect(storageWarning(page)).toHaveText(/^The browser may delete unsynced changes\. What this means/)
  // One line at phone width, not a block.
  expect((await storageWarning(page).boundingBox())?.height).toBeLessThan(60)
  await saveScreenshot(page, 'storage-notice')
  await storageWarning(page).getByTestId('storage-warning-dismiss').click()
  await expect(storageWarning(page)).toHaveCount(0)

  // More changes, a reload: the same risk, so the notice stays dismissed.
  await app.createCompany({ Name: unique('Second Notice Ltd') })
  await app.open()
  await app.expectPending(2)
  await expect(app.companyList).toBeVisible()
  await expect(storageWarning(page)).toHaveCount(0)

  await openDevicePage(page)
  await expect(page.getByTestId('device-risk')).toHaveText([
    'The browser may delete this app’s data when the phone runs low on space, including changes not yet synced.',
  ])
  await context.setOffline(false)
})

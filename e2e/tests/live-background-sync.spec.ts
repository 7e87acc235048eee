import type { CDPSession } from '@playwright/test'
import { AppPage } from '../support/app-page.ts'
import { test, expect } from '../support/test.ts'

/**
 * Background Sync (issue 13, point 4): a change made offline is sent by the service worker when the connection
 * returns, even with the app closed. Chromium's own retry schedule is minutes long and has no test hook, so the
 * sync event is dispatched through CDP (ServiceWorker.dispatchSyncEvent), as the browser would on reconnecting.
 * CDP sessions are detached before the offline emulation: an attached ServiceWorker domain keeps the worker's
 * network out of it. Chromium may also fire the event by itself once the tag is registered (its own view of the
 * network ignores the emulation); either way the page was offline from the save until it closed, so only the
 * worker can have sent the change, and the journal entry it wrote says so.
 */
const TAG = 'offline-sync:send-changes'

// Two browser contexts (or a service worker round trip) on a shared 2-core machine: more than the default minute.
test.describe.configure({ timeout: 180_000 })

/** The registration id of the page's origin, as CDP reports it. */
async function registrationId(cdp: CDPSession, origin: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted)
      if (mine) resolve(mine.registrationId)
    })
  })
  await cdp.send('ServiceWorker.enable')
  return found
}

test('a change made offline is sent by the service worker with the app closed', async ({
  app,
  page,
  context,
  device,
  unique,
  baseURL,
}) => {
  const origin = new URL(baseURL as string).origin
  await app.openSynced()
  await app.waitForServiceWorker()
  const setup = await context.newCDPSession(page)
  const registration = await registrationId(setup, origin)
  await setup.detach()

  await context.setOffline(true)
  await app.expectOnline(false)
  const name = unique('Sent In Background')
  await app.createCompany({ Name: name })
  // The app is closed; the connection comes back.
  await page.close()
  await context.setOffline(false)

  // A page that is not the app, only to reach the browser's ServiceWorker domain.
  const blank = await context.newPage()
  const cdp = await context.newCDPSession(blank)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin,
    registrationId: registration,
    tag: TAG,
    lastChance: false,
  })
  await cdp.detach()

  await expect.poll(async () => (await device.companiesNamed(name)).length, { timeout: 30_000 }).toBe(1)

  // Opened again, the app finds its change already sent: nothing waits, and the journal says who sent it.
  const reopened = await context.newPage()
  const again = new AppPage(reopened)
  await again.openSynced()
  await again.expectPending(0)
  await reopened.getByTestId('nav-history').click()
  await expect(reopened.getByText('Sent in the background').first()).toBeVisible()
})

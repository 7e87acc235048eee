import { test, expect } from '../support/test.ts'
import { AppPage } from '../support/app-page.ts'

// Counts the requests that reach the server: a live pull after the other device's add (which would take the same
// lock, in either tab) must not join in.
test.use({ automaticSync: 'manual' })

test('only one sync runs at a time across tabs (Web Locks)', async ({ app, page, unique, device }) => {
  await app.openSynced()
  const second = new AppPage(await page.context().newPage())
  await second.openSynced()

  // Hold the first sync request at the network; count every request that reaches it from either tab.
  let requests = 0
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.context().route('**/api/sync', async (route) => {
    requests += 1
    if (requests === 1) await released
    await route.continue()
  })

  const arrival = await device.addCompany({ name: unique('Seen By Both Tabs') })
  await app.syncButton.click()
  await expect.poll(() => requests).toBe(1)
  await expect(app.syncBar).toHaveAttribute('data-state', 'syncing')

  // The second tab's sync finds the lock taken: it says so and sends nothing.
  await second.syncButton.click()
  await expect(second.page.getByTestId('sync-other-tab')).toBeVisible()
  expect(requests).toBe(1)

  release()
  await app.expectSynced()
  // Both tabs read the same IndexedDB, so the one sync brings the server's data to both.
  await expect(app.companyRow(arrival.company.name)).toBeVisible()
  await expect(second.companyRow(arrival.company.name)).toBeVisible()
  expect(requests).toBe(1)
})

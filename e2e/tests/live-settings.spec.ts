import { expectAccessible } from '../support/accessibility.ts'
import { openSettings } from '../support/phones.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import { test, expect } from '../support/test.ts'

/** The Settings screen (issue 13, point 3): when this device syncs by itself. Defaults all on; kept per device. */

// Two browser contexts (or a service worker round trip) on a shared 2-core machine: more than the default minute.
test.describe.configure({ timeout: 180_000 })

test('the settings screen shows every automatic sync on by default, and passes axe', async ({
  app,
  page,
}) => {
  await app.openSynced()
  await openSettings(app)
  for (const key of ['afterChanges', 'onOpen', 'onReconnect', 'live'])
    await expect(page.getByTestId(`setting-${key}`)).toBeChecked()
  await expect(page.getByTestId('setting-every-5')).toBeChecked()
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'open', { timeout: 30_000 })
  await expect(page.getByTestId('live-status')).toHaveText('Live updates: Connected')
  await expectAccessible(page, 'the settings screen')
  await saveScreenshot(page, 'settings')
})

test('turning "after my changes" off stops the automatic push; on again, the next save is sent by itself', async ({
  app,
  page,
  device,
  unique,
}) => {
  await app.openSynced()
  await openSettings(app)
  await page.getByLabel('After my changes').uncheck()
  // Kept on this device: a restart still has it off.
  await app.open()
  await openSettings(app)
  await expect(page.getByLabel('After my changes')).not.toBeChecked()

  const kept = unique('Kept Local')
  await app.createCompany({ Name: kept })
  // The save has been announced by the time its page shows: with the setting off, no push was scheduled.
  await expect(app.syncBar).toHaveAttribute('data-push-scheduled', 'false')
  await app.expectPending(1)
  expect(await device.companiesNamed(kept)).toEqual([])

  await openSettings(app)
  await page.getByLabel('After my changes').check()
  const sent = unique('Sent By Itself')
  await app.createCompany({ Name: sent })
  // No tap: the push runs once the writes pause, and takes the earlier change along.
  await app.expectPending(0)
  await expect.poll(async () => (await device.companiesNamed(sent)).length, { timeout: 30_000 }).toBe(1)
  expect(await device.companiesNamed(kept)).toHaveLength(1)
})

test('live updates off: the stream is closed (and reopens when turned back on)', async ({ app, page }) => {
  await app.openSynced()
  await openSettings(app)
  const status = page.getByTestId('live-status')
  await expect(status).toHaveAttribute('data-state', 'open', { timeout: 30_000 })
  await page.getByLabel('Live updates from others').uncheck()
  await expect(status).toHaveAttribute('data-state', 'stopped')
  await expect(status).toHaveText('Live updates: Off')
  await page.getByLabel('Live updates from others').check()
  await expect(status).toHaveAttribute('data-state', 'open', { timeout: 30_000 })
})

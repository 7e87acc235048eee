import { test, expect } from '../support/test.ts'
import { saveScreenshot } from '../support/screenshots.ts'

// The refused answer must meet the tapped sync, not a live or after-save one that happens to go first.
test.use({ automaticSync: 'manual' })

test('rule 20: a sync the server cannot take now says so, then retries by itself', async ({
  app,
  page,
  device,
  unique,
}) => {
  await app.openSynced()
  const remote = await device.addCompany({ name: unique('After Outage') })

  // One 503 with Retry-After (a database outage); the retry then reaches the real server.
  let refused = false
  await page.route('**/api/sync', async (route) => {
    if (refused) return route.continue()
    refused = true
    return route.fulfill({
      status: 503,
      headers: { 'Retry-After': '5' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: 'The database is not answering' } }),
    })
  })
  await app.syncButton.click()

  // Retry-After is a floor for the backoff: the bar explains the wait for at least that long.
  await expect(app.syncError).toHaveAttribute('data-kind', 'unavailable')
  await expect(app.syncError).toContainText(/temporarily unavailable/i)
  await expect(app.syncError).toContainText(/trying again/i)
  await saveScreenshot(page, 'sync-bar-error')

  // No click: the retry brings the server's data.
  await expect(app.companyRow(remote.company.name)).toBeVisible()
  await app.expectSynced()
  await expect(app.syncError).toBeHidden()
})

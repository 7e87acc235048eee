import { test, expect } from '../support/test.ts'
import { isSynced } from '../support/browser-state.ts'
import { saveScreenshot } from '../support/screenshots.ts'

// This journey decides when each sync runs (button, review, held response): the automatic ones would race it.
test.use({ automaticSync: 'manual' })

/** A promise plus the function that settles it: lets a route handler wait for the test. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

test('rule 17: an edit made while a sync is in flight is not lost', async ({ app, page, device, unique }) => {
  const { company } = await device.addCompany({ name: unique('In Flight'), phone: '+1 555 0101' })
  await app.openSynced()
  await expect(app.companyRow(company.name)).toBeVisible()

  // The next sync reaches the server at once, but its response reaches the page only after the edit. Any later
  // sync waits until the test has looked at the rebased local state.
  const inFlight = gate()
  const response = gate()
  const laterSyncs = gate()
  let syncs = 0
  await page.route('**/api/sync', async (route) => {
    syncs += 1
    if (syncs === 1) {
      const answer = await route.fetch()
      inFlight.open()
      await response.opened
      await route.fulfill({ response: answer })
      return
    }
    await laterSyncs.opened
    await route.continue()
  })

  // Something new on the server, to see when the held response has been applied.
  const arrival = await device.addCompany({ name: unique('Arrives With Response') })
  await app.syncButton.click()
  await inFlight.opened
  await expect(app.syncBar).toHaveAttribute('data-state', 'syncing')
  await expect(app.syncButton).toHaveText('Syncing…')
  await saveScreenshot(page, 'sync-bar-syncing')

  await app.editCompany(company.name, { Phone: '+1 555 0202' })
  response.open()

  // The held response has replaced the local tables…
  await app.goHome()
  await expect(app.companyRow(arrival.company.name)).toBeVisible()
  // …and the edit survived it, still pending.
  await expect(app.companyRow(company.name)).toContainText('+1 555 0202')
  await app.expectPending(1)
  const rebased = (await app.local()).companies.find((record) => record.uid === company.uid)
  expect(rebased).toMatchObject({
    id: company.id,
    phone: '+1 555 0202',
    isFromServer: true,
    isModified: true,
    isActive: true,
  })

  laterSyncs.open()
  await expect(app.syncButton).toBeEnabled()
  await app.syncButton.click()
  await app.expectSynced()
  await expect
    .poll(async () => (await device.readAll()).companies.find((record) => record.uid === company.uid)?.phone)
    .toBe('+1 555 0202')
  const synced = (await app.local()).companies.find((record) => record.uid === company.uid)
  expect(synced).toMatchObject({ phone: '+1 555 0202' })
  expect(isSynced(synced!)).toBe(true)
})

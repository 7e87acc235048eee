import { test, expect } from '../support/test.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import { expectAccessible } from '../support/accessibility.ts'

// The journey reads the history entry by entry (startup, then the tapped sync): an after-save or live sync would
// slip in between. An automatic trigger's own entry is checked in live-background-sync.spec.
test.use({ automaticSync: 'manual' })

test('the sync history lists each sync; its details show every record sent and the ids the server gave', async ({
  app,
  page,
  device,
  unique,
}) => {
  await app.openSynced()
  const company = unique('Journal Co')
  const contact = unique('Jo Journal')
  await app.createCompany({ Name: company })
  await app.addContact({ Name: contact })
  await app.syncNow()
  await app.expectSynced()

  await page.getByTestId('nav-history').click()
  await expect(app.title).toHaveText('Sync history')
  const newest = page.getByTestId('journal-entry').first()
  await expect(newest).toHaveAttribute('data-outcome', 'ok')
  await expect(newest).toHaveAttribute('data-trigger', 'manual')
  await expect(newest.getByTestId('journal-entry-summary')).toHaveText('1 company (1 new), 1 contact (1 new)')
  // No echo (rule G7): the answer acknowledges both with their server ids (the remaps in the details below) and
  // brings back no record, so the entry says nothing was received.
  await expect(newest.getByTestId('journal-entry-received')).toHaveCount(0)
  // The startup sync that came before is there too, below.
  await expect(page.getByTestId('journal-entry').nth(1)).toHaveAttribute('data-trigger', 'startup')

  // It survives a reload (the journal is stored on the device); the reload's own startup sync lands on top.
  await page.reload()
  await expect(page.getByTestId('journal-entry').first()).toHaveAttribute('data-trigger', 'startup')
  const manual = page.locator('[data-testid="journal-entry"][data-trigger="manual"]')
  await expect(manual).toHaveCount(1)
  await manual.getByRole('link').click()
  await expect(app.title).toHaveText('Sync details')

  const details = page.getByTestId('journal-details')
  await expect(details).toHaveAttribute('data-outcome', 'ok')
  await expect(page.getByTestId('journal-trigger')).toHaveText('Sync button')
  await expect(page.getByTestId('journal-record')).toHaveCount(2)
  await expect(page.getByTestId('journal-record').filter({ hasText: company })).toHaveAttribute(
    'data-change',
    'added',
  )
  // Both sizes: the JSON the phone parsed, and what crossed the network (the same, or less once gzipped).
  const bytes = page.getByTestId('journal-bytes')
  await expect(bytes).toContainText(/sent, .* received/)
  const received = Number(await bytes.getAttribute('data-received'))
  const onWire = Number(await bytes.getAttribute('data-received-on-wire'))
  expect(onWire).toBeGreaterThan(0)
  expect(onWire).toBeLessThanOrEqual(received)

  // The remaps are the local ids the phone used and the ids the server really gave.
  const [onServer] = await device.companiesNamed(company)
  const companyRemap = page.getByTestId('journal-remap').filter({ hasText: company })
  await expect(companyRemap).toHaveAttribute('data-server-id', String(onServer!.company.id))
  expect(Number(await companyRemap.getAttribute('data-local-id'))).toBeLessThan(0)
  const contactRemap = page.getByTestId('journal-remap').filter({ hasText: contact })
  await expect(contactRemap).toHaveAttribute('data-server-id', String(onServer!.contacts[0]!.id))
  await saveScreenshot(page, 'sync-journal-details')
  await expectAccessible(page, 'the details of a sync')
})

test('the details of a sync say what its answer cost on the network: a big one arrives gzipped', async ({
  app,
  page,
  device,
  unique,
}) => {
  // Enough records that the startup sync's full answer is well past the server's 1 KB compression threshold.
  const contacts = Array.from({ length: 20 }, (_, i) => ({ name: unique(`Wire Contact ${i}`) }))
  await device.addCompany({ name: unique('Wire Co') }, contacts)
  await app.openSynced()

  await page.getByTestId('nav-history').click()
  // A download of more than one page is one startup entry per answer (G16), newest first: the oldest is its first
  // page, a full page of records (or all of them), never a small catch-up delta.
  await page.locator('[data-testid="journal-entry"][data-trigger="startup"]').last().getByRole('link').click()
  const bytes = page.getByTestId('journal-bytes')
  await expect(bytes).toContainText(/sent, .* received \(.* over the network\)/)
  const received = Number(await bytes.getAttribute('data-received'))
  const onWire = Number(await bytes.getAttribute('data-received-on-wire'))
  expect(received).toBeGreaterThan(2048)
  expect(onWire).toBeGreaterThan(0)
  expect(onWire).toBeLessThan(received / 2)
  await saveScreenshot(page, 'sync-journal-gzipped')
})

test('a sync that fails offline is in the history as failed, with the reason', async ({
  app,
  page,
  context,
  unique,
}) => {
  await app.openSynced()
  await app.waitForServiceWorker()
  await context.setOffline(true)
  await app.expectOnline(false)
  const company = unique('Offline Journal')
  await app.createCompany({ Name: company })
  await app.syncButton.click()
  await expect(app.syncError).toHaveAttribute('data-kind', 'offline')

  await page.getByTestId('nav-history').click()
  const newest = page.getByTestId('journal-entry').first()
  await expect(newest).toHaveAttribute('data-outcome', 'failed')
  await expect(newest.getByTestId('journal-outcome')).toHaveText('Failed')
  await newest.getByRole('link').click()
  await expect(page.getByTestId('journal-error')).toHaveAttribute('data-kind', 'offline')
  await expect(page.getByTestId('journal-record').filter({ hasText: company })).toHaveAttribute(
    'data-change',
    'added',
  )
  await saveScreenshot(page, 'sync-journal-failed')
})

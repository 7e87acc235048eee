import { test, expect } from '../support/test.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import { expectAccessible } from '../support/accessibility.ts'

// This journey decides when each sync runs (button, review, held response): the automatic ones would race it.
test.use({ automaticSync: 'manual' })

test('the pre-sync review lists what will be sent and flags my edit of a company another device changed', async ({
  app,
  page,
  device,
  unique,
}) => {
  const shared = await device.addCompany({ name: unique('Shared Co') })
  const untouched = await device.addCompany({ name: unique('Quiet Co') })
  await app.openSynced()

  // My unsynced edits: both companies, and a new contact.
  await app.editCompany(shared.company.name, { Address: '1 My Street' })
  await app.editCompany(untouched.company.name, { Address: '2 My Street' })
  await app.addContact({ Name: unique('New Person') })
  // Meanwhile another device changes one of them on the server.
  await device.editCompany(shared.company, { address: 'Their Street 9' })

  await page.getByTestId('sync-review-button').click()
  const dialog = page.getByTestId('sync-preview')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('sync-preview-summary')).toHaveText('2 companies, 1 contact: 1 new, 2 edited')
  const check = page.getByTestId('sync-preview-check')
  await expect(check).toHaveAttribute('data-state', 'ok')
  await expect(check).toHaveAttribute('data-conflicts', '1')
  await expect(check).toContainText('changed on the server since your last sync')

  const flagged = page.getByTestId('sync-preview-record').filter({ hasText: shared.company.name })
  await expect(flagged).toBeVisible() // its group opened by itself
  await expect(flagged).toHaveAttribute('data-conflict', 'changed')
  await expect(
    page.getByTestId('sync-preview-record').filter({ hasText: untouched.company.name }),
  ).toHaveAttribute('data-conflict', '')
  await saveScreenshot(page, 'sync-preview')
  await expectAccessible(page, 'the review dialog')

  // Nothing was sent by looking: the changes still wait, until "Sync now".
  await app.expectPending(3)
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sync')
  await page.getByTestId('sync-preview-confirm').click()
  await answered
  await expect(dialog).toBeHidden()
  await app.expectSynced()
  const [onServer] = await device.companiesNamed(shared.company.name)
  expect(onServer!.company.address).toBe('1 My Street')
})

test('the review says when there is nothing to compare: only new records', async ({ app, page, unique }) => {
  await app.openSynced()
  await app.createCompany({ Name: unique('Brand New') })
  await page.getByTestId('sync-review-button').click()
  await expect(page.getByTestId('sync-preview-summary')).toHaveText('1 company: 1 new')
  await expect(page.getByTestId('sync-preview-check')).toHaveAttribute('data-state', 'nothing_to_check')
  await page.getByTestId('sync-preview-cancel').click()
  await expect(page.getByTestId('sync-preview')).toBeHidden()
  await app.expectPending(1)
})

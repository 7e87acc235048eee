import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { saveScreenshot } from '../support/screenshots.ts'

// These journeys start where the phone writes under a company another device deleted before the phone heard of it
// (as when it was offline). With live updates on it would hear at once and the company would leave the screen
// first: the phone syncs only when the journey says so.
test.use({ automaticSync: 'manual' })

/* Issue 15 point 4: the rough edges a field user hit, each fixed and checked on the screen where it showed. */

// The machine running the suite is shared and slow: axe alone can take tens of seconds on a busy two cores.
test.slow()

test('a company deleted elsewhere reads as what happened, by name, with one count and no actions that cannot work', async ({
  app,
  page,
  device,
  unique,
}) => {
  const { company } = await device.addCompany({ name: unique('Gone Bakery') })
  await app.openSynced()
  await app.openCompany(company.name)
  await device.deleteCompany(company)
  await app.addContact({ Name: 'Left Here' })
  await app.syncNow()

  // One change of this user's is held: the sync bar, the header badge and the Attention page all say 1.
  await app.expectPending(1)
  await expect(page.getByTestId('attention-count')).toHaveText('1')
  await expect(page.getByTestId('attention-link')).toHaveText('1 needs attention')

  const issues = page.getByTestId('record-issue')
  await expect(issues.first()).toHaveText(
    new RegExp(`^Another device deleted “${company.name}” on the server\\. It is still shown here because`),
  )
  await expect(app.contactRow('Left Here').getByTestId('record-issue')).toContainText(
    `“Left Here” could not be saved on the server because another device deleted its company “${company.name}”.`,
  )
  await expect(page.getByTestId('company-page')).not.toContainText(/\(id \d+\)|refused this change/)
  await expect(page.getByTestId('edit-company')).toHaveCount(0)
  await expect(page.getByTestId('delete-company')).toHaveCount(0)
  await expect(page.getByTestId('add-contact')).toHaveCount(0)
  await expectAccessible(page, 'a company deleted elsewhere')
  await saveScreenshot(page, 'company-deleted-elsewhere')

  await app.openAttention()
  await expect(page.getByTestId('attention-total')).toHaveText('1 change needs attention.')
  await expect(page.getByTestId('attention-item')).toHaveCount(1)
})

test('a pasted name over the limit is kept whole and counted, and Save refuses it', async ({ app, page }) => {
  await app.openSynced()
  const long = 'Very Long Name '.repeat(14) // 210 characters
  await app.startCreatingCompany({ Name: long })
  const field = page.getByLabel(/^Name/)
  await expect(field).toHaveValue(long)
  await expect(page.getByTestId('count-name')).toHaveText('210 characters: 10 too many (at most 200).')
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await app.save()
  await expect(page.getByTestId('error-name')).toHaveText('Name must be at most 200 characters')
  await expect(app.title).toHaveText('Add company')
  await app.expectPending(0)
  await expectAccessible(page, 'a name over the limit')
})

test('offline at 360 px the sync bar says Offline once, keeps to two lines, and Sync is not the main button', async ({
  app,
  page,
  context,
  unique,
}) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await app.openSynced()
  await expect(app.lastSynced).toHaveText(/^Synced /)
  await app.createCompany({ Name: unique('Pending Ltd') })
  // A change waits: the bar no longer says "Synced just now" beside it.
  await expect(app.lastSynced).toHaveText(/^Last synced /)
  await app.waitForServiceWorker()
  await context.setOffline(true)
  await app.expectOnline(false)
  await app.syncButton.click()
  await expect(app.syncError).toHaveAttribute('data-kind', 'offline')

  const bar = app.syncBar
  expect((await bar.innerText()).match(/offline/gi)).toHaveLength(1)
  await expect(bar).not.toContainText('Synced just now')
  await expect(app.syncButton).not.toHaveClass(/button--primary/)
  await expect(page.getByTestId('sync-review-button')).toHaveCount(0)
  // Lines of text in the bar: the distinct tops of its text boxes.
  const lines = await bar.evaluate((element) => {
    const tops = new Set<number>()
    const walker = document.createTreeWalker(element.querySelector('.sync-bar__info')!, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue
      const range = document.createRange()
      range.selectNodeContents(node)
      for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top))
    }
    // Boxes on one line can sit a pixel or two apart: a new line starts more than half a line lower.
    const sorted = [...tops].sort((a, b) => a - b)
    return sorted.filter((top, i) => i === 0 || top - (sorted[i - 1] ?? 0) > 8).length
  })
  expect(lines).toBeLessThanOrEqual(2)
  await saveScreenshot(page, 'sync-bar-offline-360')
  await context.setOffline(false)
})

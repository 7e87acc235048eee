import { signInContext } from '../support/accounts.ts'
import { AppPage } from '../support/app-page.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import { test, expect } from '../support/test.ts'

// The clash needs A to edit a value it has not seen B replace. With live updates on, A would hear of B's sync and
// pull B's value before editing: its edit is then knowingly made over B's and is no overwrite (rule M3). The phones
// sync when this journey says so.
test.use({ automaticSync: 'manual' })

/**
 * Issue 14 with two phones (two browser contexts, one account): edits of different fields of one company are
 * both kept on both phones (rules M1, M2); the same field edited on both is shown on both as an overwrite, with
 * Keep mine / Use theirs (M3–M5, M8).
 */
test('two phones: different fields both kept; the same field: the overwrite is shown on both', async ({
  app,
  page,
  context,
  browser,
  baseURL,
  device,
  unique,
}) => {
  // Two phones, each synced several times, on a shared machine: a generous budget (no step is timed).
  test.setTimeout(15 * 60_000)
  const { company } = await device.addCompany({ name: unique('Shared Customer'), phone: '+1 555 0100' })
  const phoneBContext = await browser.newContext({ baseURL })
  try {
    await signInContext(phoneBContext.request, baseURL as string)
    const phoneB = new AppPage(await phoneBContext.newPage())
    await app.openSynced()
    await phoneB.openSynced()
    await app.waitForServiceWorker()

    // The case: A changes the phone number offline; B renames the company and syncs.
    await context.setOffline(true)
    await app.expectOnline(false)
    await app.editCompany(company.name, { Phone: '+1 555 0199' })
    const renamed = unique('Renamed By B')
    await phoneB.editCompany(company.name, { Name: renamed })
    await phoneB.syncNow()
    await phoneB.expectSynced()
    await context.setOffline(false)
    await app.expectOnline(true)
    await app.syncNow()
    await app.expectSynced()
    await phoneB.syncNow()

    for (const phone of [app, phoneB]) {
      await phone.goHome()
      await expect(phone.companyRow(renamed)).toContainText('+1 555 0199')
      await phone.openCompany(renamed)
      await expect(phone.page.getByTestId('overwrite-notice')).toHaveCount(0)
    }

    // The same field on both phones: B syncs first, A's later arrival wins and replaces B's value.
    await phoneB.editCompany(renamed, { Email: 'from-b@example.com' })
    await phoneB.syncNow()
    await app.editCompany(renamed, { Email: 'from-a@example.com' })
    await app.syncNow()
    await phoneB.syncNow()

    const mine = app.page.getByTestId('overwrite-notice')
    await expect(mine).toHaveAttribute('data-side', 'mine')
    await expect(mine).toContainText(
      "Email: your 'from-a@example.com' replaced 'from-b@example.com' from another device",
    )
    await phoneB.openCompany(renamed)
    const theirs = phoneB.page.getByTestId('overwrite-notice')
    await expect(theirs).toHaveAttribute('data-side', 'theirs')
    await expect(theirs).toContainText(
      "Email: your 'from-b@example.com' was replaced by 'from-a@example.com' from another device",
    )
    await saveScreenshot(phoneB.page, 'overwrite-notice')

    // The sync history entry of A's sync lists it too.
    await page.getByTestId('nav-history').click()
    await page
      .locator('[data-testid="journal-entry"][data-trigger="manual"]')
      .first()
      .getByRole('link')
      .click()
    await expect(page.getByTestId('journal-overwrite')).toContainText("your 'from-a@example.com' replaced")

    // "Use theirs" on A is an ordinary edit that syncs: B's value is back everywhere, and the notice is gone.
    await page.getByTestId('overwrite-use-theirs').click()
    await expect(page.getByTestId('overwrite-notice')).toHaveCount(0)
    await app.expectPending(1)
    await app.syncNow()
    await app.expectSynced()
    await app.openCompany(renamed)
    await expect(page.getByText('from-b@example.com')).toBeVisible()
    // "Use theirs" on B (whose value went, then came back) only dismisses.
    await phoneB.page.getByTestId('overwrite-use-theirs').click()
    await expect(phoneB.page.getByTestId('overwrite-notice')).toHaveCount(0)
    await phoneB.syncNow()
    await phoneB.expectSynced()
    await expect(phoneB.page.getByText('from-b@example.com')).toBeVisible()
  } finally {
    await phoneBContext.close()
  }
})

import { test, expect } from '../support/test.ts'
import { AppPage } from '../support/app-page.ts'

test('a change made on the server by another device shows up after a restart', async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  const { company } = await device.addCompany({ name: unique('Before Restart') }, [{ name: 'Kept Contact' }])
  await app.openSynced()
  await expect(app.companyRow(company.name)).toBeVisible()

  const renamed = unique('After Restart')
  await device.editCompany(company, { name: renamed, phone: '+1 555 0142' })
  await device.addContact(company.id, { name: 'Added Elsewhere', jobTitle: 'Buyer' })

  // Restart: close the app and open it again in the same browser profile (same IndexedDB, same device).
  await page.close()
  const restarted = new AppPage(await context.newPage())
  await restarted.open()

  await expect(restarted.companyRow(renamed)).toBeVisible()
  await expect(restarted.companyRow(renamed)).toContainText('+1 555 0142')
  await expect(restarted.companyRow(company.name)).toHaveCount(0)
  await restarted.openCompany(renamed)
  await expect(restarted.contactRow('Added Elsewhere')).toContainText('Buyer')
  await expect(restarted.contactRow('Kept Contact')).toBeVisible()
})

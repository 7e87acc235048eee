import { test, expect } from '../support/test.ts'

// This journey decides when each sync runs (button, review, held response): the automatic ones would race it.
test.use({ automaticSync: 'manual' })

test('the Sync button sends local changes and brings back the server’s', async ({ app, device, unique }) => {
  await app.openSynced()
  const local = unique('Button Local')
  await app.createCompany({ Name: local })
  await app.goHome()
  await app.expectPending(1)

  // Written by another device after this one's last sync: only a new sync can bring it here.
  const remote = await device.addCompany({ name: unique('Button Remote') })
  await app.syncButton.click()

  await expect(app.companyRow(remote.company.name)).toBeVisible()
  await app.expectSynced()
  await expect.poll(async () => (await device.companiesNamed(local)).length).toBe(1)
})

import { test, expect } from '../support/test.ts'
import { isSynced } from '../support/browser-state.ts'
import { saveScreenshot } from '../support/screenshots.ts'

test('offline work syncs by itself when the device is back online, contacts linked to the new company id', async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  const existing = await device.addCompany({ name: unique('Existing Co'), phone: '+1 555 0100' })
  await app.openSynced()
  await expect(app.companyRow(existing.company.name)).toBeVisible()
  await app.waitForServiceWorker()

  await context.setOffline(true)
  await app.expectOnline(false)

  const name = unique('Offline Co')
  await app.startCreatingCompany({
    Name: name,
    Email: 'hello@offline.example',
    Website: 'https://offline.example',
  })
  await saveScreenshot(page, 'company-form-new')
  await app.save()
  await expect(app.title).toHaveText(name)
  await app.startAddingContact({ Name: 'Ada Offline', 'Job title': 'CTO', Email: 'ada@offline.example' })
  await saveScreenshot(page, 'contact-form-new')
  await app.save()
  await expect(app.contactRow('Ada Offline')).toBeVisible()
  await app.addContact({ Name: 'Bob Offline', Phone: '+44 20 7946 0000' })
  await saveScreenshot(page, 'company-page')
  await app.startEditingCompany(existing.company.name, { Phone: '+1 555 0199' })
  await saveScreenshot(page, 'company-form-edit')
  await app.save()
  await expect(app.title).toHaveText(existing.company.name)

  // One added company, two added contacts, one modified company; a sync tried now cannot reach the server.
  await app.expectPending(4)
  await app.syncButton.click()
  await expect(app.syncError).toHaveAttribute('data-kind', 'offline')
  await app.expectPending(4)
  const before = await app.local()
  const added = before.companies.find((record) => record.name === name)
  expect(added, 'the new company is stored locally').toMatchObject({ isFromServer: false, isActive: true })
  expect(added!.id, 'rule 2: a record the server has never seen has a negative id').toBeLessThan(0)
  expect(before.contacts.filter((record) => record.companyId === added!.id)).toHaveLength(2)
  expect(before.companies.find((record) => record.uid === existing.company.uid)).toMatchObject({
    id: existing.company.id,
    phone: '+1 555 0199',
    isFromServer: true,
    isModified: true,
  })
  await app.goHome()
  await saveScreenshot(page, 'offline-pending-changes')

  // No click: coming back online must start the sync by itself.
  await context.setOffline(false)
  await app.expectOnline(true)

  await expect
    .poll(
      async () =>
        (await device.companiesNamed(name)).map(({ company, contacts }) => ({
          id: company.id,
          contacts: contacts.map((contact) => `${contact.name} → ${contact.companyId}`).sort(),
        })),
      { message: 'the server has the company once, with both contacts linked to its new server id' },
    )
    .toEqual([
      {
        id: expect.any(Number),
        contacts: [
          expect.stringMatching(/^Ada Offline → \d+$/),
          expect.stringMatching(/^Bob Offline → \d+$/),
        ],
      },
    ])
  const [onServer] = await device.companiesNamed(name)
  const serverId = onServer!.company.id
  expect(serverId).toBeGreaterThan(0)
  expect(onServer!.contacts.map((contact) => contact.companyId)).toEqual([serverId, serverId])
  expect(onServer!.company).toMatchObject({
    email: 'hello@offline.example',
    website: 'https://offline.example',
  })
  const all = await device.readAll()
  expect(
    all.companies.find((record) => record.uid === existing.company.uid)?.phone,
    'the offline edit reached the server',
  ).toBe('+1 555 0199')

  // Locally: server ids everywhere, clean flags, contacts pointing at the company's server id, nothing in flight.
  await app.expectSynced()
  await expect(app.syncError).toBeHidden()
  const after = await app.local()
  const company = after.companies.find((record) => record.uid === added!.uid)
  expect(company).toMatchObject({ id: serverId, isFromServer: true, isModified: false, isActive: true })
  const contacts = after.contacts.filter((record) => record.companyId === serverId)
  expect(contacts.map((record) => record.name).sort()).toEqual(['Ada Offline', 'Bob Offline'])
  expect(contacts.every(isSynced), 'the contacts carry server ids and clean flags').toBe(true)
  expect(isSynced(after.companies.find((record) => record.uid === existing.company.uid)!)).toBe(true)
  expect(after.outbox).toEqual([])
  await saveScreenshot(page, 'sync-bar-synced')
})

import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import type { AnotherDevice, ServerCompany } from '../support/another-device.ts'
import type { AppPage } from '../support/app-page.ts'
import { engineDatabaseImage, restoreDatabase, type DatabaseImage } from '../support/database-image.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import type { Page } from '@playwright/test'

/*
 * Before accounts the app kept one database, "offline-sync", which may hold changes that were never sent. Both
 * ways it is found must bring that work into the account's data and send it (decision 011).
 */
const PRE_ACCOUNTS_DATABASE = 'offline-sync'

const databaseNames = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((info) => info.name))

/** The pre-accounts database as the old app left it: a company and a contact made offline, never sent. */
function unsentWork(company: string, contact: string) {
  return engineDatabaseImage(PRE_ACCOUNTS_DATABASE, async ({ writes }) => {
    const created = await writes.create('company', { name: company, address: '10 Harbour Road, Leith' })
    await writes.create('contact', { name: contact, companyId: created.id })
  })
}

/**
 * An old install that synced (so it holds `company` as the server sent it), then had `contact` added under that
 * company offline: built by real syncs through `device`'s session.
 */
function oldInstallWithContactUnder(device: AnotherDevice, company: ServerCompany, contact: string) {
  return engineDatabaseImage(
    PRE_ACCOUNTS_DATABASE,
    async ({ writes, sync }) => {
      expect((await sync()).outcome).toBe('synced')
      await writes.create('contact', { name: contact, companyId: company.id })
    },
    device.post,
  )
}

/**
 * Runs `elsewhere` (another device's change), opens the account's own data, which therefore never saw what was
 * there before, then puts the old database beside it and restarts the app, which finds both.
 */
async function startBesideAccountData(app: AppPage, image: DatabaseImage, elsewhere: () => Promise<void>) {
  await elsewhere()
  await app.openSynced()
  await restoreDatabase(app.page, image)
  await app.page.reload()
}

test('on the first start after the upgrade, the old database becomes the account’s and its changes are sent', async ({
  app,
  page,
  device,
  unique,
}) => {
  const company = unique('Before Accounts')
  const contact = unique('Old Contact')
  // Any page of the origin will do for making the database: the app itself must not have opened yet.
  await page.goto('/manifest.webmanifest')
  await restoreDatabase(page, await unsentWork(company, contact))

  await app.openSynced()

  await expect(app.companyRow(company)).toBeVisible()
  const [onServer] = await device.companiesNamed(company)
  expect(onServer?.company.address).toBe('10 Harbour Road, Leith')
  expect(onServer?.contacts.map((c) => c.name)).toEqual([contact])
  await expect.poll(() => databaseNames(page)).not.toContain(PRE_ACCOUNTS_DATABASE)
})

test('an old database found beside the account’s own is no longer hidden: its changes join the account’s', async ({
  app,
  page,
  device,
  unique,
}) => {
  // The state an earlier build could leave: the account's database exists, the old one still holds unsent work.
  await app.openSynced()
  const mine = unique('Made Since')
  await app.createCompany({ Name: mine })
  const company = unique('Hidden Before Accounts')
  const contact = unique('Hidden Contact')
  await restoreDatabase(page, await unsentWork(company, contact))

  await page.reload()
  await app.expectSynced()
  await app.goHome()

  await expect(app.companyRow(company)).toBeVisible()
  await expect(app.companyRow(mine)).toBeVisible()
  const [carried] = await device.companiesNamed(company)
  expect(carried?.contacts.map((c) => c.name)).toEqual([contact])
  expect(await device.companiesNamed(mine)).toHaveLength(1)
  // Local ids of the two databases overlapped; each record kept its own contacts.
  const local = await app.local()
  const carriedLocal = local.companies.find((c) => c.name === company)
  expect(local.contacts.find((c) => c.name === contact)?.companyId).toBe(carriedLocal?.id)
  await expect.poll(() => databaseNames(page)).not.toContain(PRE_ACCOUNTS_DATABASE)
})

test('a contact the old database holds under a company deleted elsewhere since comes with that company, to re-create', async ({
  app,
  page,
  device,
  unique,
}) => {
  const company = unique('Gone Since')
  const contact = unique('Waiting Contact')
  const { company: onServer } = await device.addCompany({ name: company, phone: '+1 555 0199' })
  const image = await oldInstallWithContactUnder(device, onServer, contact)
  await startBesideAccountData(app, image, () => device.deleteCompany(onServer))
  await expect(page.getByTestId('attention-count')).toBeVisible()
  await app.openAttention()
  const item = app.attentionItem(contact)
  await expect(item.getByRole('heading', { name: company })).toBeVisible()
  await expect(item.getByTestId('attention-reason')).toContainText(`Another device deleted “${company}”`)
  await item.getByTestId('recreate-button').click()
  await expect(app.page.getByTestId('attention-status')).toContainText(`Re-created ${company}`)

  await app.syncNow()
  await app.expectSynced()
  const found = await device.companiesNamed(company)
  expect(found).toHaveLength(1)
  expect(found[0]?.company.phone).toBe('+1 555 0199')
  expect(found[0]?.contacts.map((c) => c.name)).toEqual([contact])
})

test('a contact whose company an earlier build dropped from the phone: the company is typed in again and takes it', async ({
  app,
  page,
  device,
  unique,
}) => {
  const company = unique('Dropped')
  const contact = unique('Orphan Contact')
  const { company: onServer } = await device.addCompany({ name: company })
  const image = await oldInstallWithContactUnder(device, onServer, contact)
  // Builds before ghost parents dropped a company deleted elsewhere even while a contact here still pointed at it.
  const companies = image.stores.find((store) => store.name === 'companies')!
  companies.records = companies.records.filter(([uid]) => uid !== onServer.uid)
  await startBesideAccountData(app, image, () => device.deleteCompany(onServer))
  await expect(page.getByTestId('attention-count')).toBeVisible()
  await app.openAttention()
  const item = app.attentionItem(contact)
  await expect(item.getByRole('heading', { name: 'A company deleted on the server' })).toBeVisible()
  await item.getByTestId('recreate-button').click()
  // Nothing of the company is left on this phone: the form asks for it.
  await expect(page.getByTestId('company-form')).toBeVisible()
  await saveScreenshot(page, 'attention-recreate-typed')
  await expectAccessible(page, 'the attention page with the re-create form open')
  const retyped = unique('Typed Again')
  await app.fillForm({ Name: retyped, Phone: '+1 555 0123' })
  await page.getByTestId('save-button').click()
  await expect(page.getByTestId('attention-status')).toContainText(`Re-created ${retyped}`)

  await app.syncNow()
  await app.expectSynced()
  const [found] = await device.companiesNamed(retyped)
  expect(found?.company.phone).toBe('+1 555 0123')
  expect(found?.contacts.map((c) => c.name)).toEqual([contact])
})

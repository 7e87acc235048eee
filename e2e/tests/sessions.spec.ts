import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { phone } from '../support/chromium.ts'
import { resultsDir } from '../support/paths.ts'
import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'
import { startServer } from '../support/server-process.ts'
import { createUser, e2eAccount, e2eServerEnv } from '../support/accounts.ts'
import { AppPage } from '../support/app-page.ts'
import { SignInPage } from '../support/sign-in-page.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import { localDatabaseName, readLocalRecords, waitForServiceWorker } from '../support/browser-state.ts'

/**
 * Accounts and sessions in the app (issue 4): the first-account setup, signing in, an expired session that must
 * never cost unsent work, signing out, and two people sharing one device without seeing each other's changes.
 */

/** Console errors the page logs from now on (a failed request is one: Chromium logs every 4xx and 5xx). */
function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  return errors
}

test('the setup screen creates the first account of a new server, which then opens the app', async ({
  browser,
}) => {
  // A server of its own on a fresh database: the run's server already has its first account.
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = await createThrowawayDatabase(adminUrl)
  try {
    const server = await startServer({
      databaseUrl: database.url,
      logFile: join(resultsDir, 'e2e-setup-server.log'),
      env: e2eServerEnv,
    })
    const context = await browser.newContext({ ...phone, baseURL: server.baseURL })
    try {
      const page = await context.newPage()
      const consoleErrors = collectConsoleErrors(page)
      const auth = new SignInPage(page)
      await page.goto('/')
      await auth.expectScreen('setup')
      // Rule A16: asking for the session without one is no error, so the very first screen logs none.
      expect(consoleErrors).toEqual([])
      await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'new-password')

      // A password shorter than the rule is explained on its field, tied to it for screen readers.
      await auth.submit({ email: 'founder@example.com', password: 'short' })
      const passwordError = page.getByTestId('auth-error-password')
      await expect(passwordError).toContainText('at least 10')
      await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true')
      const describedBy = (await page.getByLabel('Password').getAttribute('aria-describedby')) ?? ''
      expect(describedBy.split(' ')).toContain(await passwordError.getAttribute('id'))
      await expectAccessible(page, 'the setup screen with a field error')
      await saveScreenshot(page, 'setup')

      await auth.submit({ email: ' Founder@Example.com ', password: 'a long enough password' })
      await auth.expectSignedInAs('founder@example.com')
      const app = new AppPage(page)
      await app.expectSynced()

      const setup = await fetch(`${server.baseURL}/api/setup`)
      expect(await setup.json()).toEqual({ needed: false })
    } finally {
      await context.close()
      await server.stop()
    }
  } finally {
    await database.drop()
  }
})

test.describe('signed out', () => {
  test.use({ signedIn: false })

  test('a wrong password shows the error; the right one opens the app', async ({ page }) => {
    const consoleErrors = collectConsoleErrors(page)
    const auth = new SignInPage(page)
    const account = e2eAccount()
    await page.goto('/')
    await auth.expectScreen('sign-in')
    expect(consoleErrors).toEqual([])
    await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'current-password')
    await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'username')

    await auth.submit({ email: account.email, password: 'not the password' })
    await expect(auth.error).toHaveText('The email or password is not right.')
    await expect(page.getByLabel('Password')).toBeFocused()
    await expect(page.getByLabel('Password')).toHaveValue('')
    await expect(page.getByTestId('sync-bar')).toHaveCount(0)
    await expectAccessible(page, 'the sign-in screen with its error')
    await saveScreenshot(page, 'sign-in-error')

    await auth.submit(account)
    await auth.expectSignedInAs(account.email)
    await new AppPage(page).expectSynced()
  })

  test('offline without any stored account, the sign-in screen says a first sign-in needs a connection', async ({
    page,
    context,
  }) => {
    const auth = new SignInPage(page)
    await page.goto('/')
    await auth.expectScreen('sign-in')
    await waitForServiceWorker(page)
    await context.setOffline(true)
    await page.reload()
    await auth.expectScreen('sign-in')
    await expect(page.getByTestId('auth-note')).toContainText('needs a connection')
    await auth.submit(e2eAccount())
    await expect(auth.error).toContainText('You are offline')
    expect(await page.evaluate(() => localStorage.getItem('offline-sync:account'))).toBeNull()
  })
})

test('with the session gone, the app still opens offline and online with its data', async ({
  app,
  page,
  context,
  unique,
}) => {
  await app.openSynced()
  await app.waitForServiceWorker()
  const name = unique('Kept Offline')
  await app.createCompany({ Name: name })
  await app.syncNow()
  await app.expectPending(0)

  // Still on the new company's page: a reload opens it again from the local data.
  await context.clearCookies()
  await context.setOffline(true)
  await page.reload()
  await expect(app.syncBar).toBeVisible()
  await app.expectOnline(false)
  await expect(app.title).toHaveText(name)

  await context.setOffline(false)
  await page.reload()
  await expect(app.title).toHaveText(name)
  // The startup sync finds no session: it asks for a sign-in instead of losing or hiding anything.
  await expect(new SignInPage(page).signInAgain).toBeVisible()
})

test('a sync answered 401 keeps the changes, asks to sign in again, and they sync after signing in', async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  const auth = new SignInPage(page)
  await app.openSynced()
  await context.clearCookies()
  const name = unique('Waits For Sign In')
  await app.createCompany({ Name: name })
  await app.expectPending(1)

  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sync')
  await app.syncButton.click()
  expect((await answered).status()).toBe(401)
  await expect(app.syncError).toHaveAttribute('data-kind', 'unauthorized')
  await expect(auth.signInAgain).toHaveText('Sign in again')
  await app.expectPending(1)
  expect((await readLocalRecords(page)).companies.filter((c) => c.name === name)).toHaveLength(1)
  expect(await device.companiesNamed(name)).toHaveLength(0)

  await auth.signInAgain.click()
  await expect(auth.dialog).toBeVisible()
  await expect(auth.dialog.getByLabel('Email')).toHaveValue(e2eAccount().email)
  await expect(auth.dialog.getByLabel('Password')).toBeFocused()
  await expectAccessible(page, 'the sign-in dialog')
  await saveScreenshot(page, 'sign-in-again')
  await auth.submit(e2eAccount(), auth.dialog)
  await expect(auth.dialog).toHaveCount(0)
  await app.expectPending(0)
  await expect.poll(async () => (await device.companiesNamed(name)).length).toBe(1)
})

test('signing out with unsent changes warns that they stay on this device', async ({ app, page, unique }) => {
  const auth = new SignInPage(page)
  await app.openSynced()
  await app.createCompany({ Name: unique('Unsent At Sign Out') })
  await app.expectPending(1)

  await auth.signOut('cancel')
  await expect(auth.confirmSignOut).toHaveCount(0)
  await auth.expectSignedInAs(e2eAccount().email)

  await page.getByTestId('sign-out-button').click()
  await expect(auth.confirmSignOut).toContainText('1 change has not been sent')
  await expect(auth.confirmSignOut).toContainText(`until ${e2eAccount().email} signs in here again`)
  await expectAccessible(page, 'the sign-out warning')
  await saveScreenshot(page, 'sign-out-warning')
  await auth.confirmSignOut.getByTestId('confirm-ok').click()
  await auth.expectScreen('sign-in')
  expect(await page.evaluate(() => localStorage.getItem('offline-sync:account'))).toBeNull()
})

test("a second person on the same device never sees or sends the first one's unsynced company", async ({
  app,
  page,
  device,
  unique,
}) => {
  const auth = new SignInPage(page)
  const first = e2eAccount()
  const second = {
    email: `${unique('second').replace(' ', '-')}@example.com`,
    password: 'second person password',
  }
  await createUser(process.env.E2E_DATABASE_URL!, second)

  await app.openSynced()
  const name = unique('Only Mine')
  await app.createCompany({ Name: name })
  await app.expectPending(1)
  const firstDatabase = await localDatabaseName(page)
  await auth.signOut('confirm')

  await auth.signIn(second)
  await app.expectSynced()
  // The second person's own local database: the company is neither there nor, after their sync, on the server.
  expect(await localDatabaseName(page)).not.toBe(firstDatabase)
  expect((await readLocalRecords(page)).companies.map((company) => company.name)).not.toContain(name)
  expect(await device.companiesNamed(name)).toHaveLength(0)

  await auth.signOut()
  await auth.signIn(first)
  expect(await localDatabaseName(page)).toBe(firstDatabase)
  await page.getByTestId('company-search').fill(name)
  await expect(app.companyRow(name)).toBeVisible()
  // The first person's startup sync sends what waited for them.
  await app.expectSynced()
  await expect.poll(async () => (await device.companiesNamed(name)).length).toBe(1)
})

test("signing in again as another account opens that account's own data; the first one's changes wait for them", async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  const auth = new SignInPage(page)
  const other = {
    email: `${unique('other').replace(' ', '-')}@example.com`,
    password: 'other person password',
  }
  await createUser(process.env.E2E_DATABASE_URL!, other)
  await app.openSynced()
  const firstDatabase = await localDatabaseName(page)
  await context.clearCookies()
  const name = unique('Left For Its Owner')
  await app.createCompany({ Name: name })
  await app.syncButton.click()
  await expect(auth.signInAgain).toBeVisible()

  await auth.signInAgain.click()
  await auth.dialog.getByLabel('Email').fill(other.email)
  await auth.dialog.getByLabel('Password').fill(other.password)
  await auth.dialog.getByTestId('auth-submit').click()
  await auth.expectSignedInAs(other.email)
  await app.expectSynced()
  expect(await localDatabaseName(page)).not.toBe(firstDatabase)
  expect((await readLocalRecords(page)).companies.map((company) => company.name)).not.toContain(name)
  expect(await device.companiesNamed(name)).toHaveLength(0)
})

import { test, expect } from '../support/test.ts'
import { saveScreenshot } from '../support/screenshots.ts'

test('the first online visit installs the service worker and precaches the app shell', async ({
  app,
  page,
  device,
  unique,
}) => {
  const { company } = await device.addCompany({ name: unique('First Visit'), phone: '+1 555 0100' })
  await app.openSynced()
  await app.waitForServiceWorker()

  const worker = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready
    const cached: string[] = []
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname)
    }
    return {
      scope: new URL(registration.scope).pathname,
      state: registration.active?.state,
      controlled: navigator.serviceWorker.controller !== null,
      cached,
    }
  })
  expect(worker).toMatchObject({ scope: '/', state: 'activated', controlled: true })
  expect(worker.cached).toContain('/index.html')
  expect(worker.cached.some((path) => path.endsWith('.js'))).toBe(true)
  // API answers are never cached: a cached sync response would be a lie.
  expect(worker.cached.filter((path) => path.startsWith('/api/'))).toEqual([])

  await expect(app.companyRow(company.name)).toBeVisible()
  await expect(app.companyRow(company.name)).toContainText('+1 555 0100')
  await saveScreenshot(page, 'company-list')
})

test('offline, a reload still opens the app with its local data', async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  const { company } = await device.addCompany({ name: unique('Offline Reload') }, [
    { name: 'Reachable Offline' },
  ])
  await app.openSynced()
  await expect(app.companyRow(company.name)).toBeVisible()
  await app.waitForServiceWorker()

  await context.setOffline(true)
  await page.reload()
  await expect(app.syncBar).toBeVisible()
  await app.expectOnline(false)
  await expect(app.companyRow(company.name)).toBeVisible()

  // A deep link too: the service worker answers every navigation with the app shell.
  await app.openCompany(company.name)
  await page.reload()
  await expect(app.title).toHaveText(company.name)
  await expect(app.contactRow('Reachable Offline')).toBeVisible()
  await saveScreenshot(page, 'offline-company-page')
})

import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { saveScreenshot } from '../support/screenshots.ts'

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
const DARK = 'rgb(17, 24, 39)'
const LIGHT = 'rgb(255, 255, 255)'

test('dark mode follows the system, and the Device page’s choice overrides it on this device, across restarts', async ({
  app,
  page,
}) => {
  test.slow() // a long journey: three times the 60 s budget on a shared, slow machine
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.openSynced()
  expect(await background(page)).toBe(DARK)
  await expectAccessible(page, 'companies in dark mode')
  await saveScreenshot(page, 'dark-companies')

  await page.getByTestId('nav-device').click()
  const picker = page.getByTestId('theme-picker')
  await expect(picker.getByLabel('As the system')).toBeChecked()
  await picker.getByLabel('Light').check()
  await expect.poll(() => background(page)).toBe(LIGHT)
  await expectAccessible(page, 'device page, light chosen')

  // Kept on the device: a restart opens light although the system is dark.
  await app.open('/')
  expect(await background(page)).toBe(LIGHT)

  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByTestId('nav-device').click()
  await picker.getByLabel('Dark').check()
  await expect.poll(() => background(page)).toBe(DARK)
  await expectAccessible(page, 'device page in dark mode')
  await saveScreenshot(page, 'dark-device')
  await app.open('/people')
  expect(await background(page)).toBe(DARK)
  await expectAccessible(page, 'people in dark mode')

  // Back to the system's choice: light, as the system now says.
  await page.getByTestId('nav-device').click()
  await picker.getByLabel('As the system').check()
  await expect.poll(() => background(page)).toBe(LIGHT)
})

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect } from '../support/test.ts'
import { repoRoot } from '../support/paths.ts'

interface ManifestImage {
  src: string
  sizes: string
  form_factor?: 'narrow' | 'wide'
}

/** Width × height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1'), 'a PNG file').toBe('PNG')
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`
}

/**
 * The manifest's screenshots are the real app's screens, at the sizes it declares, one narrow and one wide; its
 * shortcuts open screens that exist. With UPDATE_INSTALL_SCREENSHOTS=1 the test first makes the screenshots again
 * from the running app (run it alone, on a fresh database, so only its own companies show) into
 * apps/web/public/screenshots; rebuild the app afterwards.
 */
test('the manifest’s screenshots (narrow and wide) and shortcuts are served as declared', async ({
  app,
  page,
  device,
  baseURL,
}) => {
  test.slow() // a long journey: three times the 60 s budget on a shared, slow machine
  const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
    screenshots: ManifestImage[]
    shortcuts: { name: string; url: string }[]
  }
  expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide'])

  if (process.env.UPDATE_INSTALL_SCREENSHOTS === '1') {
    for (const [name, contacts] of [
      ['Night Owl Bakery', [{ name: 'Zoë Quinn', jobTitle: 'Head Baker', phone: '+44 20 7946 0958' }]],
      ['Harbour Café', [{ name: 'Léa Martin', jobTitle: 'Owner' }]],
      ['Ölmühle Nord', []],
      ['Quartz Mill Works', [{ name: 'Ines Ito', email: 'ines@quartzmill.test' }]],
      ['Blue Door Garage', []],
    ] as const) {
      await device.addCompany(
        { name, address: '12 High Street', phone: '+44 20 7946 0000' },
        contacts.map((c) => ({ ...c })),
      )
    }
    // Into the sources, and into the build the server is serving now (the next build copies them there anyway).
    const dirs = ['apps/web/public/screenshots', 'apps/web/dist/screenshots'].map((d) => join(repoRoot, d))
    for (const dir of dirs) mkdirSync(dir, { recursive: true })
    const save = (name: string, png: Buffer) => {
      for (const dir of dirs) writeFileSync(join(dir, name), png)
    }
    await app.openSynced()
    await page.getByTestId('company-search').blur()
    save('companies-narrow.png', await page.screenshot({ animations: 'disabled', caret: 'hide' }))
    const wide = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 1280, height: 800 }, baseURL })
    try {
      const widePage = await wide.newPage()
      await wide.addCookies(await page.context().cookies())
      await widePage.goto('/')
      await expect(widePage.getByTestId('company-row').first()).toBeVisible()
      await expect(widePage.getByTestId('sync-bar')).toHaveAttribute('data-state', 'idle')
      save('companies-wide.png', await widePage.screenshot({ animations: 'disabled' }))
    } finally {
      await wide.close()
    }
  }

  for (const shot of manifest.screenshots) {
    const response = await page.request.get(shot.src)
    expect(response.status(), shot.src).toBe(200)
    expect(pngSize(await response.body()), shot.src).toBe(shot.sizes)
  }
  const [width, height] = (manifest.screenshots.find((s) => s.form_factor === 'narrow')?.sizes ?? '')
    .split('x')
    .map(Number)
  expect(height! > width!, 'the narrow screenshot is portrait').toBe(true)

  expect(manifest.shortcuts.map((s) => s.name)).toEqual(['Add company', 'Search', 'People'])
  await app.openSynced()
  for (const shortcut of manifest.shortcuts) {
    await app.open(shortcut.url)
    await expect(app.title).toHaveText(shortcut.name === 'Add company' ? 'Add company' : shortcut.name)
  }
})

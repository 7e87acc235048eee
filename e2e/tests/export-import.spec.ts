import { readFile } from 'node:fs/promises'
import type { Download, Page } from '@playwright/test'
import Papa from 'papaparse'
import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { saveScreenshot } from '../support/screenshots.ts'
import type { AppPage } from '../support/app-page.ts'

/*
 * Issue 15 point 3: export from the device's own data (offline: CSV and vCard, the downloaded files read back and
 * checked) and import of a spreadsheet (the guessed mapping, per-row errors before anything is written, progress,
 * and the imported records syncing like typed ones).
 */

// The machine running the suite is shared and slow: axe alone can take tens of seconds on a busy two cores.
test.slow()

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  return {
    name: (download as Download).suggestedFilename(),
    text: await readFile(await download.path(), 'utf8'),
  }
}

const csvRows = (text: string) =>
  Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data

/** The cards of a .vcf file, each unfolded into its lines. */
const vcards = (text: string) =>
  text
    .replace(/\r\n /g, '')
    .split('BEGIN:VCARD\r\n')
    .slice(1)
    .map((card) => card.split('\r\n'))

async function openExport(app: AppPage) {
  await app.page.getByTestId('nav-device').click()
  await app.page.getByTestId('nav-export').click()
  await expect(app.title).toHaveText('Export')
}

test('export offline: companies and contacts as CSV, every contact and one company’s as vCard, one contact', async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  const company = unique('Night Owl, Bakery')
  await device.addCompany({ name: company, address: '1 Quay St\nHarbour Town', phone: '+44 20 7946 0000' }, [
    {
      name: 'Zoë Ångström',
      jobTitle: 'Head baker; owner',
      email: 'zoe@example.com',
      phone: '+44 20 7946 0001',
    },
  ])
  await app.openSynced()
  await app.waitForServiceWorker()
  await context.setOffline(true)
  await app.expectOnline(false)
  // A contact added offline is on the device only: the export carries it too.
  await app.openCompany(company)
  await app.addContact({ Name: 'Ada Offline', Email: 'ada@example.com' })

  await openExport(app)
  await expect(page.getByTestId('export-counts')).toContainText('on this phone')
  await expectAccessible(page, 'the export page')
  await saveScreenshot(page, 'export')

  const companies = await downloaded(page, () => page.getByTestId('export-companies-csv').click())
  expect(companies.name).toMatch(/^companies-\d{4}-\d{2}-\d{2}\.csv$/)
  expect(csvRows(companies.text).find((row) => row.Name === company)).toEqual({
    Name: company,
    Address: '1 Quay St\nHarbour Town',
    Phone: '+44 20 7946 0000',
    Email: '',
    Website: '',
  })

  const contacts = await downloaded(page, () => page.getByTestId('export-contacts-csv').click())
  const ours = csvRows(contacts.text).filter((row) => row.Company === company)
  expect(ours).toEqual([
    { Name: 'Ada Offline', 'Job title': '', Email: 'ada@example.com', Phone: '', Company: company },
    {
      Name: 'Zoë Ångström',
      'Job title': 'Head baker; owner',
      Email: 'zoe@example.com',
      Phone: '+44 20 7946 0001',
      Company: company,
    },
  ])
  await expect(page.getByTestId('export-status')).toHaveText(/^Downloaded \d+ contacts?\.$/)

  const all = await downloaded(page, () => page.getByTestId('export-all-vcard').click())
  expect(all.name).toMatch(/\.vcf$/)
  const zoe = vcards(all.text).find((card) => card.includes('FN:Zoë Ångström'))
  expect(zoe).toEqual(
    expect.arrayContaining([
      'VERSION:3.0',
      'N:Ångström;Zoë;;;',
      `ORG:${company.replace(',', '\\,')}`,
      'TITLE:Head baker\\; owner',
      'EMAIL;TYPE=INTERNET,WORK:zoe@example.com',
      'TEL;TYPE=WORK,VOICE:+44 20 7946 0001',
      'ADR;TYPE=WORK:;;1 Quay St\\nHarbour Town;;;;',
      'END:VCARD',
    ]),
  )
  for (const line of all.text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75)

  // One company's contacts, from its page: exactly its two.
  await app.openCompany(company)
  const theirs = await downloaded(page, () => page.getByTestId('export-company-vcard').click())
  expect(vcards(theirs.text).map((card) => card.find((l) => l.startsWith('FN:')))).toEqual([
    'FN:Ada Offline',
    'FN:Zoë Ångström',
  ])
  // One contact, from its row.
  const one = await downloaded(page, () =>
    app.contactRow('Ada Offline').getByTestId('export-contact-vcard').click(),
  )
  expect(one.name).toBe('ada-offline.vcf')
  expect(vcards(one.text)).toHaveLength(1)
  expect(one.text).toContain('\r\nEMAIL;TYPE=INTERNET,WORK:ada@example.com\r\n')
})

test('import: the guessed columns, errors per row before anything is written, progress, then the rows sync', async ({
  app,
  page,
  device,
  unique,
}) => {
  const firm = unique('Imported Firm')
  const existing = unique('Already Here')
  await device.addCompany({ name: existing })
  const lines = ['Company,Contact name,E-mail,Mobile,Position,Notes']
  lines.push(`${firm},Ann Import,ann@example.com,+1 555 0100,Buyer,first`)
  lines.push(`${existing},Bob Import,not-an-email,,Owner,`)
  lines.push(`,Cy Nocompany,cy@example.com,,,`)
  lines.push(`"${firm.toUpperCase()}",Dee Import,,555 0101,"Sales, North",`)
  // Enough rows for the progress bar to move in several steps.
  for (let i = 0; i < 1200; i++) lines.push(`${existing},Bulk ${i},bulk${i}@example.com,,,`)
  await app.openSynced()
  await page.getByTestId('nav-device').click()
  await page.getByTestId('nav-import').click()
  await expect(app.title).toHaveText('Import')

  await page.getByTestId('import-file').setInputFiles({
    name: 'team.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\r\n'), 'utf8'),
  })
  const mapping = page.getByTestId('column-mapping')
  const pick = (heading: string) => mapping.getByLabel(new RegExp(`^${heading}`))
  await expect(pick('Company')).toHaveValue('company.name')
  await expect(pick('Contact name')).toHaveValue('contact.name')
  await expect(pick('E-mail')).toHaveValue('contact.email')
  await expect(pick('Mobile')).toHaveValue('contact.phone')
  await expect(pick('Position')).toHaveValue('contact.jobTitle')
  await expect(pick('Notes')).toHaveValue('')
  await expect(page.getByTestId('import-total')).toHaveText('1,204 rows in the file.')
  await expect(page.getByTestId('import-adds')).toHaveText('Adds 1 company and 1,202 contacts.')
  await expect(page.getByTestId('import-existing')).toContainText('1 company is already on this phone')
  await expect(page.getByTestId('import-error')).toHaveText([
    'Line 3: Contact: Email must be an email address like name@example.com.',
    'Line 4: Company: Name is required (every contact belongs to a company).',
  ])
  await expectAccessible(page, 'the import preview with row errors')
  await saveScreenshot(page, 'import-preview')

  // The mapping is editable and the rows are checked again: without the e-mail column, line 3 is fine.
  await pick('E-mail').selectOption('')
  await expect(page.getByTestId('import-error')).toHaveCount(1)
  await pick('E-mail').selectOption('contact.email')
  await expect(page.getByTestId('import-error')).toHaveCount(2)
  await app.expectPending(0)

  // Every value the progress bar takes, as the page renders it.
  await page.evaluate(() => {
    const seen: number[] = []
    ;(window as unknown as { __progress: number[] }).__progress = seen
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="import-progress"]')
      if (bar && seen[seen.length - 1] !== bar.value) seen.push(bar.value)
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('import-done')).toContainText(
    'Added 1 company and 1,202 contacts on this phone.',
  )
  const seen = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress)
  expect(seen.length, `progress values seen: ${seen.join(', ')}`).toBeGreaterThan(1)
  expect(seen.some((v) => v > 0 && v < 1202)).toBe(true)
  await app.expectPending(1203)

  // They are ordinary local adds: the next sync takes them to the server, each under its company.
  await app.syncNow()
  await app.expectSynced()
  const [created] = await device.companiesNamed(firm)
  expect(created?.contacts.map((c) => [c.name, c.jobTitle, c.phone]).sort()).toEqual([
    ['Ann Import', 'Buyer', '+1 555 0100'],
    ['Dee Import', 'Sales, North', '555 0101'],
  ])
  const [kept] = await device.companiesNamed(existing)
  expect(kept?.contacts).toHaveLength(1200)
  expect(await device.companiesNamed(firm.toUpperCase())).toEqual([])
})

import { test, expect } from '../support/test.ts'
import { expectAccessible } from '../support/accessibility.ts'
import { saveScreenshot } from '../support/screenshots.ts'

/**
 * Issue 15, points 1 and 2: one search over companies and contacts (any word, e-mail, phone digits, accents), the
 * People list, and sorting. Data comes from the server (another phone) and from this phone's own forms, so both the
 * applied server rows and local writes are in the search index.
 */
test('one search finds a later word of a company, a contact by e-mail and by phone digits, accent-insensitively', async ({
  app,
  page,
  device,
  unique,
}) => {
  test.slow() // a long journey: three times the 60 s budget on a shared, slow machine
  const tag = unique('q').split(' ')[1]!
  const bakery = `Night Owl Bakery ${tag}`
  // A phone number no other test has: digits made from the tag.
  const number = [...tag].map((c) => c.charCodeAt(0) % 10).join('')
  await device.addCompany({ name: bakery, address: `12 Rue de l’Église ${tag}` }, [
    {
      name: `Zoë Ångström ${tag}`,
      email: `zoe.${tag}@nightowl.test`,
      phone: `+44 (20) ${number.slice(0, 3)} ${number.slice(3)}-58`,
      jobTitle: 'Head Baker',
    },
  ])
  await app.openSynced()

  const search = page.getByTestId('company-search')
  const companies = page.getByTestId('found-companies')
  const contacts = page.getByTestId('found-contacts')

  // A later word of the name, and a word's start; no longer only the start of the name.
  await search.fill(`bakery ${tag}`)
  await expect(companies.getByTestId('company-row')).toHaveText([new RegExp(bakery)])
  await search.fill(`owl ${tag}`)
  await expect(companies.getByTestId('company-row')).toHaveText([new RegExp(bakery)])
  // The address, accent-insensitively.
  await search.fill(`eglise ${tag}`)
  await expect(companies.getByTestId('company-row')).toHaveText([new RegExp(bakery)])

  // A contact by e-mail, shown with its company.
  await search.fill(`zoe.${tag}@night`)
  const zoe = contacts.getByTestId('person-row')
  await expect(zoe).toHaveCount(1)
  await expect(zoe.getByTestId('person-name')).toHaveText(`Zoë Ångström ${tag}`)
  await expect(zoe.getByTestId('person-company')).toHaveText(bakery)
  await expect(page.getByTestId('found-company-count')).toHaveText('No company matches.')
  await expectAccessible(page, 'search results')
  await saveScreenshot(page, 'search-results')

  // Accent-insensitive both ways: typed without the accents, and with them.
  await search.fill(`angstrom ${tag}`)
  await expect(zoe.getByTestId('person-name')).toHaveText(`Zoë Ångström ${tag}`)
  await search.fill(`ZOË ${tag}`)
  await expect(zoe.getByTestId('person-name')).toHaveText(`Zoë Ångström ${tag}`)

  // By phone digits, without the spaces and punctuation.
  await search.fill(`20${number}58`) // from the second group on, without the country code or punctuation
  await expect(zoe.getByTestId('person-name')).toHaveText(`Zoë Ångström ${tag}`)
  await search.fill(`44 20 ${number.slice(0, 3)}`) // typed with spaces: one number
  await expect(zoe.getByTestId('person-name')).toHaveText(`Zoë Ångström ${tag}`)

  // A contact added on this phone is found at once, before any sync.
  await search.fill('')
  await app.openCompany(bakery)
  await app.addContact({ Name: `Local Person ${tag}`, 'Job title': `Surveyor ${tag}` })
  await app.goHome()
  await search.fill(`surveyor ${tag}`)
  await expect(zoe.getByTestId('person-name')).toHaveText(`Local Person ${tag}`)
  await expect(zoe.getByTestId('person-company')).toHaveText(bakery)

  // The result opens the contact; Back returns to the same search.
  await zoe.getByRole('link').click()
  await expect(app.title).toHaveText('Edit contact')
  await page.goBack()
  await expect(search).toHaveValue(`surveyor ${tag}`)
  await expect(zoe.getByTestId('person-name')).toHaveText(`Local Person ${tag}`)

  await search.fill(`nothing-like-this ${tag}`)
  await expect(page.getByTestId('search-summary')).toHaveText(`Nothing matches “nothing-like-this ${tag}”.`)
})

test('the search screen (the install sheet’s shortcut) opens with the field focused', async ({
  app,
  page,
  device,
  unique,
}) => {
  test.slow() // a long journey: three times the 60 s budget on a shared, slow machine
  const name = unique('Shortcut Target')
  await device.addCompany({ name })
  await app.openSynced('/search')
  await expect(app.title).toHaveText('Search')
  const field = page.getByTestId('search-field')
  await expect(field).toBeFocused()
  await field.fill(name.split(' ')[2]!)
  await expect(page.getByTestId('found-companies').getByTestId('company-row')).toHaveText([new RegExp(name)])
  await expectAccessible(page, 'search screen')
})

test('companies sort by name or most recently changed; the order stays on Back', async ({
  app,
  page,
  unique,
}) => {
  test.slow() // a long journey: three times the 60 s budget on a shared, slow machine
  const tag = unique('s').split(' ')[1]!
  // "000 …" sorts before every other name the shared test database holds.
  const first = `000 Alpha ${tag}`
  const second = `000 Beta ${tag}`
  await app.openSynced()
  await app.createCompany({ Name: second })
  await app.createCompany({ Name: first })
  await app.syncNow()
  await app.goHome()
  const names = page.getByTestId('company-list').getByTestId('company-name')
  await expect(names.nth(0)).toHaveText(first)
  await expect(names.nth(1)).toHaveText(second)

  // Editing "Beta" makes it the most recently changed.
  await app.editCompany(second, { Phone: '555 0100' })
  await app.goHome()
  await page.getByTestId('company-sort').selectOption({ label: 'Recently changed' })
  await expect(names.nth(0)).toHaveText(second)
  await app.syncNow()
  await expect(names.nth(0)).toHaveText(second)
  await expect(names.nth(1)).toHaveText(first)
  await expectAccessible(page, 'companies, recently changed')

  await names.nth(0).click()
  await expect(app.title).toHaveText(second)
  await page.goBack()
  await expect(page.getByTestId('company-sort')).toHaveValue('recent')
  await expect(names.nth(0)).toHaveText(second)
})

test('the People list holds every contact with its company, sorted by name or by company', async ({
  app,
  page,
  device,
  unique,
}) => {
  test.slow() // a long journey: three times the 60 s budget on a shared, slow machine
  const tag = unique('p').split(' ')[1]!
  // Contact names sort the other way round from their companies' names.
  await device.addCompany({ name: `000 Co B ${tag}` }, [{ name: `000 Person A ${tag}`, jobTitle: 'Buyer' }])
  await device.addCompany({ name: `000 Co A ${tag}` }, [{ name: `000 Person B ${tag}` }])
  await app.openSynced()
  await page.getByTestId('nav-people').click()
  await expect(app.title).toHaveText('People')
  await expect(page.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page')

  const rows = page.getByTestId('people-list').getByTestId('person-row')
  await expect(rows.nth(0).getByTestId('person-name')).toHaveText(`000 Person A ${tag}`)
  await expect(rows.nth(0).getByTestId('person-company')).toHaveText(`000 Co B ${tag}`)
  await expect(rows.nth(1).getByTestId('person-name')).toHaveText(`000 Person B ${tag}`)
  await expect(page.getByTestId('people-count')).toHaveText(/\d+ contacts?/)
  await expectAccessible(page, 'people by name')
  await saveScreenshot(page, 'people-by-name')

  await page.getByTestId('people-sort').selectOption({ label: 'Company' })
  await expect(rows.nth(0).getByTestId('person-name')).toHaveText(`000 Person B ${tag}`)
  await expect(rows.nth(0).getByTestId('person-company')).toHaveText(`000 Co A ${tag}`)
  await expect(rows.nth(1).getByTestId('person-name')).toHaveText(`000 Person A ${tag}`)
  await expectAccessible(page, 'people by company')

  await rows.nth(0).getByRole('link').click()
  await expect(app.title).toHaveText('Edit contact')
  await page.goBack()
  await expect(page.getByTestId('people-sort')).toHaveValue('parent')
})

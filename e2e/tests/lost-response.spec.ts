import { test, expect } from '../support/test.ts'
import { isSynced } from '../support/browser-state.ts'

interface SyncBody {
  syncId: string
  companies: { added: { name: string }[] }
}

test('rules 7 and 9: a lost response is resent under the same syncId and duplicates nothing', async ({
  app,
  page,
  context,
  device,
  unique,
}) => {
  await app.openSynced()
  await app.waitForServiceWorker()

  // Made offline, so that one sync carries the company and both contacts together.
  await context.setOffline(true)
  const name = unique('Lost Response')
  await app.createCompany({ Name: name })
  await app.addContact({ Name: 'Carol Lost' })
  await app.addContact({ Name: 'Dan Lost' })
  await app.expectPending(3)

  // The first sync carrying the company reaches the server and is applied, but its response is lost on the way
  // back (the connection drops). Every later attempt goes through; the test records what the server answered.
  const attempts: { syncId: string; replayed?: boolean }[] = []
  await page.route('**/api/sync', async (route) => {
    const body = route.request().postDataJSON() as SyncBody
    if (!body.companies.added.some((company) => company.name === name)) return route.continue()
    const attempt: { syncId: string; replayed?: boolean } = { syncId: body.syncId }
    attempts.push(attempt)
    const answer = await route.fetch()
    if (attempts.length === 1) return route.abort('connectionreset')
    attempt.replayed = ((await answer.json()) as { replayed: boolean }).replayed
    return route.fulfill({ response: answer })
  })

  // Back online: the sync starts by itself, loses its response, and is retried with backoff by itself.
  await context.setOffline(false)
  await app.expectSynced()

  expect(attempts.length, 'the changes were sent again after the lost response').toBeGreaterThanOrEqual(2)
  expect(
    attempts.map((attempt) => attempt.syncId),
    'rule 7: the resend reuses the lost attempt’s syncId',
  ).toEqual(attempts.map(() => attempts[0]!.syncId))
  expect(attempts[1]?.replayed, 'rule 9: the server knew the resend and did not apply it again').toBe(true)

  const onServer = await device.companiesNamed(name)
  expect(onServer, 'exactly one company on the server').toHaveLength(1)
  expect(onServer[0]!.contacts.map((contact) => contact.name).sort()).toEqual(['Carol Lost', 'Dan Lost'])

  const { companies, contacts, outbox } = await app.local()
  const mine = companies.filter((record) => record.name === name)
  expect(mine).toHaveLength(1)
  expect(mine[0]).toMatchObject({ id: onServer[0]!.company.id })
  expect(isSynced(mine[0]!)).toBe(true)
  const children = contacts.filter((record) => record.companyId === onServer[0]!.company.id)
  expect(children.map((record) => record.name).sort()).toEqual(['Carol Lost', 'Dan Lost'])
  expect(children.every(isSynced)).toBe(true)
  expect(outbox).toEqual([])
  await app.goHome()
  await expect(app.companyRow(name)).toHaveCount(1)
})

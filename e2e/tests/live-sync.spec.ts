import { join } from 'node:path'
import { e2eServerEnv } from '../support/accounts.ts'
import { AppPage } from '../support/app-page.ts'
import { resultsDir } from '../support/paths.ts'
import { expectLiveState, openPhone, openSettings, type Phone } from '../support/phones.ts'
import { startServer, type ServerProcess } from '../support/server-process.ts'
import { test, expect } from '../support/test.ts'

/**
 * Two phones, one account: a save on one shows on the other without anyone tapping Sync (issue 13). The saving
 * phone pushes by itself shortly after the save; the server tells the other phone's live stream that data changed;
 * that phone runs a delta sync. Nothing here taps Sync, and the periodic sync (5 minutes by default) is far
 * beyond the waits, so only the live path can make these pass.
 */

/** Generous: a busy 2-core machine; this is "within seconds", not a measured latency (that is npm run bench). */
const ARRIVES = { timeout: 30_000 }

let second: ServerProcess

// Two browser contexts (or a service worker round trip) on a shared 2-core machine: more than the default minute.
test.describe.configure({ timeout: 300_000 })

test.beforeAll(async () => {
  const databaseUrl = process.env.E2E_DATABASE_URL
  if (!databaseUrl) throw new Error('E2E_DATABASE_URL is not set: global setup creates the database')
  // A second instance of the real server on the same Postgres: a write through one must reach phones on the other.
  second = await startServer({
    databaseUrl,
    logFile: join(resultsDir, 'live-sync-second-server.log'),
    env: e2eServerEnv,
  })
})

test.afterAll(async () => {
  await second?.stop()
})

async function expectBothWays(a: Phone, b: Phone, unique: (prefix: string) => string) {
  const fromA = unique('Live From A')
  await a.app.createCompany({ Name: fromA })
  await expect(b.app.companyRow(fromA)).toBeVisible(ARRIVES)
  // A pushed by itself too: nothing is left waiting on it.
  await a.app.expectPending(0)

  const fromB = unique('Live From B')
  await b.app.goHome()
  await b.app.createCompany({ Name: fromB })
  await a.app.goHome()
  await expect(a.app.companyRow(fromB)).toBeVisible(ARRIVES)

  // An edit travels the same way.
  await a.app.editCompany(fromB, { Phone: '+1 555 0199' })
  await b.app.goHome()
  await expect(b.app.companyRow(fromB)).toContainText('+1 555 0199', ARRIVES)
}

test('a save on phone A shows on phone B without a tap, and back (one server)', async ({
  browser,
  baseURL,
  unique,
}) => {
  const a = await openPhone(browser, baseURL as string)
  const b = await openPhone(browser, baseURL as string)
  try {
    // Not needed for the result (a stream that opens later catches up with a delta sync), but it makes the
    // test exercise the notice rather than the catch-up.
    await openSettings(b.app)
    await expectLiveState(b.app, 'open')
    await b.app.goHome()
    await expectBothWays(a, b, unique)
  } finally {
    await a.context.close()
    await b.context.close()
  }
})

test('the same with A and B on two server instances over one Postgres', async ({
  browser,
  baseURL,
  unique,
}) => {
  const a = await openPhone(browser, baseURL as string)
  const b = await openPhone(browser, second.baseURL)
  try {
    await openSettings(a.app)
    await expectLiveState(a.app, 'open')
    await openSettings(b.app)
    await expectLiveState(b.app, 'open')
    await a.app.goHome()
    await b.app.goHome()
    await expectBothWays(a, b, unique)
  } finally {
    await a.context.close()
    await b.context.close()
  }
})

test('sign-out closes the stream of every page of that session, and it does not reopen', async ({
  browser,
  baseURL,
}) => {
  const phone = await openPhone(browser, baseURL as string)
  try {
    const other = await phone.context.newPage()
    const otherApp = new AppPage(other)
    await otherApp.open()
    await openSettings(otherApp)
    await expectLiveState(otherApp, 'open')
    const reopened: string[] = []
    other.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/sync/events') reopened.push(request.url())
    })

    await phone.page.getByTestId('sign-out-button').click()
    await expect(phone.page.getByTestId('sign-out-button')).toHaveCount(0)

    await expectLiveState(otherApp, 'ended')
    await expect(other.getByTestId('live-status')).toContainText('sign in again')
    expect(reopened).toEqual([])
  } finally {
    await phone.context.close()
  }
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { test, expect } from '../support/test.ts'
import { chromiumLaunchOptions, phone } from '../support/chromium.ts'
import { isSynced } from '../support/browser-state.ts'
import { signInContext } from '../support/accounts.ts'
import { AppPage } from '../support/app-page.ts'
import { manualSyncOnly } from '../support/sync-settings.ts'
import type { AnotherDevice } from '../support/another-device.ts'

/** The browser on a profile on disk, so that closing it and starting it again keeps IndexedDB and the cookie. */
async function launch(profile: string, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    ...phone,
    baseURL,
    serviceWorkers: 'allow',
  })
  // The journey decides when the one sync runs (it holds its response): the automatic ones would race it.
  await manualSyncOnly(context)
  return { context, page: context.pages()[0] ?? (await context.newPage()) }
}

declare global {
  interface Window {
    __heldSync?: { syncId: string; answer: string }
  }
}

/** Signs the profile in, opens the app and makes one company with two contacts, unsynced (pending). */
async function arrangePendingCompany(page: Page, context: BrowserContext, baseURL: string, name: string) {
  await signInContext(context.request, baseURL)
  const app = new AppPage(page)
  await app.openSynced()
  // The app syncs on start, on `online` and on the button only: one sync will carry all three records.
  await app.createCompany({ Name: name })
  await app.addContact({ Name: 'Fay Closed' })
  await app.addContact({ Name: 'Gus Closed' })
  await app.expectPending(3)
  return app
}

/**
 * Starts the browser again on `profile`, lets the app start (its startup sync resends any unanswered request) and
 * checks the outcome: the company and its two contacts exactly once on the server, and the device holding exactly
 * the server's records, all clean, with an empty outbox. Resolves the syncs the restarted app made.
 */
async function restartAndCheck(profile: string, baseURL: string, name: string, device: AnotherDevice) {
  const second = await launch(profile, baseURL)
  try {
    const syncs: { syncId: string; replayed: boolean }[] = []
    second.page.on('response', async (response) => {
      if (new URL(response.url()).pathname !== '/api/sync' || response.status() !== 200) return
      const { syncId } = response.request().postDataJSON() as { syncId: string }
      syncs.push({ syncId, replayed: ((await response.json()) as { replayed: boolean }).replayed })
    })
    const app = new AppPage(second.page)
    await app.openSynced()
    await expect.poll(() => syncs.length).toBeGreaterThan(0)

    const onServer = await device.companiesNamed(name)
    expect(onServer, 'exactly one company on the server').toHaveLength(1)
    expect(onServer[0]!.contacts.map((contact) => contact.name).sort()).toEqual(['Fay Closed', 'Gus Closed'])

    const local = await app.local()
    expect(local.outbox).toEqual([])
    expect([...local.companies, ...local.contacts].every(isSynced)).toBe(true)
    const server = await device.readAll()
    const shape = (records: { uid: string; id: number; name: string }[]) =>
      records.map(({ uid, id, name }) => ({ uid, id, name })).sort((a, b) => a.uid.localeCompare(b.uid))
    expect(shape(local.companies)).toEqual(shape(server.companies))
    expect(shape(local.contacts)).toEqual(shape(server.contacts))
    await expect(app.companyRow(name)).toHaveCount(1)
    return syncs
  } finally {
    await second.context.close()
  }
}

test('fault 4: the browser is closed after the sync response arrived, before the app wrote it', async ({
  baseURL,
  device,
  unique,
}) => {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-closed-mid-apply-'))
  const name = unique('Closed Mid Apply')
  let heldSyncId = ''
  const first = await launch(profile, baseURL!)
  try {
    const app = await arrangePendingCompany(first.page, first.context, baseURL!, name)
    // The sync carrying the company goes to the server and its whole answer comes back to the page, but the app
    // never gets to write it: the page's fetch reads the body to the end, then keeps the app waiting for ever.
    await first.page.evaluate((marker) => {
      const realFetch = window.fetch.bind(window)
      window.fetch = async (input, init) => {
        const response = await realFetch(input, init)
        const body = typeof init?.body === 'string' ? init.body : ''
        if (!String(input).endsWith('/api/sync') || !body.includes(marker)) return response
        const answer = await response.clone().text()
        window.__heldSync = { syncId: (JSON.parse(body) as { syncId: string }).syncId, answer }
        return new Promise<Response>(() => {})
      }
    }, name)
    await app.syncButton.click()
    await first.page.waitForFunction(() => window.__heldSync !== undefined)
    const held = await first.page.evaluate(() => window.__heldSync!)
    heldSyncId = held.syncId
    const answered = JSON.parse(held.answer) as {
      replayed: boolean
      written: Record<'companies' | 'contacts', { uid: string; id: number }[]>
    }
    expect(answered.replayed).toBe(false)

    // The server has committed it; on the device it is still only a request in the outbox.
    const onServer = await device.companiesNamed(name)
    expect(onServer).toHaveLength(1)
    const before = await app.local()
    expect(before.outbox).toHaveLength(1)
    const pending = before.companies.find((record) => record.name === name)
    expect(pending?.id).toBeLessThan(0)
    // The whole answer reached the page: it acknowledges the company and its two contacts under their server ids,
    // without echoing them (rule G7), and the app would have written those ids had it got the chance (G15).
    const serverIds = (records: { uid: string; id: number }[]) =>
      records.map(({ uid, id }) => ({ uid, id })).sort((a, b) => a.uid.localeCompare(b.uid))
    expect(serverIds(answered.written.companies)).toEqual(serverIds([onServer[0]!.company]))
    expect(serverIds(answered.written.contacts)).toEqual(serverIds(onServer[0]!.contacts))
    expect(answered.written.companies[0]?.uid).toBe(pending?.uid)
  } finally {
    // The browser goes away as a whole, mid-sync, as when the phone kills it.
    await first.context.close()
  }

  try {
    const syncs = await restartAndCheck(profile, baseURL!, name, device)
    // The app's startup sync resent the unanswered request, and the server answered it from its receipt.
    expect(syncs[0]).toEqual({ syncId: heldSyncId, replayed: true })
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
})

test('fault 4b: the browser is closed the moment the sync response is delivered to the page', async ({
  baseURL,
  device,
  unique,
}) => {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-closed-on-delivery-'))
  const name = unique('Closed On Delivery')
  const first = await launch(profile, baseURL!)
  let delivered = false
  try {
    const app = await arrangePendingCompany(first.page, first.context, baseURL!, name)
    // No holding back this time: the answer is delivered and the browser closed at once, racing the app's write.
    // Whichever wins — the write's one IndexedDB transaction commits or never happens — the outcome must be right.
    const closed = new Promise<void>((resolve) => {
      void first.context.route('**/api/sync', async (route) => {
        if (!(route.request().postData() ?? '').includes(name)) return route.continue()
        const answer = await route.fetch()
        await route.fulfill({ response: answer })
        delivered = true
        await first.context.close().catch(() => {})
        resolve()
      })
    })
    await app.syncButton.click()
    await closed
  } finally {
    await first.context.close().catch(() => {})
  }
  expect(delivered).toBe(true)
  expect(await device.companiesNamed(name)).toHaveLength(1)

  try {
    await restartAndCheck(profile, baseURL!, name, device)
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
})

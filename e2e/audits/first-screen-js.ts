import { gzipSync } from 'node:zlib'
import type { BrowserContext } from 'playwright-core'

export interface JsWeight {
  /** gzip bytes of the JS the first screen needs (startup sync held back). */
  firstScreen: number
  /** gzip bytes of the JS a normal first load requests, the startup sync's included. */
  withStartupSync: number
  files: { path: string; gzip: number; firstScreen: boolean }[]
}

const gzipSize = (body: Buffer) => gzipSync(body, { level: 9 }).length

/** Loads "/" in `context` and sums the gzip size of every script the page requests until it is quiet. */
async function scriptsOnLoad(context: BrowserContext, ready: string): Promise<Map<string, number>> {
  const page = await context.newPage()
  const sizes = new Map<string, number>()
  const pending: Promise<void>[] = []
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return
    pending.push(
      response.body().then(
        (body) => void sizes.set(new URL(response.url()).pathname, gzipSize(body)),
        () => undefined,
      ),
    )
  })
  await page.goto('/')
  await page.getByTestId(ready).first().waitFor()
  await page.waitForLoadState('networkidle')
  await Promise.all(pending)
  await page.close()
  return sizes
}

/**
 * The JavaScript of the first screen, measured in the browser as gzip bytes (level 9, as Vite reports them).
 * Two loads of "/" by a signed-in device with data, each with an empty HTTP cache and no service worker:
 * one as the app starts normally, and one with `navigator.onLine` false so that the startup sync (which loads
 * the sync engine and zod after the list is on screen) stays out: that second set is what the first screen needs.
 * `newContext` must give a context that already holds the session and local data.
 */
export async function measureFirstScreenJs(
  newContext: (options: { offlineStart: boolean }) => Promise<BrowserContext>,
  ready: string,
): Promise<JsWeight> {
  const normal = await newContext({ offlineStart: false })
  const all = await scriptsOnLoad(normal, ready).finally(() => normal.close())
  const quiet = await newContext({ offlineStart: true })
  const first = await scriptsOnLoad(quiet, ready).finally(() => quiet.close())
  const sum = (sizes: Map<string, number>) => [...sizes.values()].reduce((a, b) => a + b, 0)
  return {
    firstScreen: sum(first),
    withStartupSync: sum(all),
    files: [...all].map(([path, gzip]) => ({ path, gzip, firstScreen: first.has(path) })),
  }
}

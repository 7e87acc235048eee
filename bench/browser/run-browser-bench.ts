/**
 * The client half: headless Chromium (playwright-core, the system's /usr/bin/chromium) opens the bench page and
 * applies prepared server responses with the real client engine, next to the bare IndexedDB floor.
 */
import { chromium, type Page } from 'playwright-core'
import { Samples } from '../measure.ts'
import { buildBenchPage } from './build-page.ts'
import type { BenchPageApi, EngineTiming } from './bench-page.ts'
import { startStaticServer } from './static-server.ts'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Lets the page collect garbage before each timed section (see bench-page.ts).
  '--js-flags=--expose-gc',
]

export interface ClientCase {
  /** Label used in sample names, e.g. `100x`. */
  label: string
  /** The full-mode response body (JSON text) the device replaces its tables with. */
  full: string
  /** Delta-mode response bodies applied afterwards, in place, by name. */
  deltas: Record<string, string>
  reps: number
}

export interface ClientInfo {
  browser: string
  /** label → records in the engine's and the floors' stores after the run, to show they hold the same data. */
  counts: Record<string, Record<string, Record<string, number>>>
}

type Call = <K extends keyof BenchPageApi>(
  name: K,
  ...args: Parameters<BenchPageApi[K]>
) => Promise<Awaited<ReturnType<BenchPageApi[K]>>>

function caller(page: Page): Call {
  return (name, ...args) =>
    page.evaluate(
      ([fn, rest]) => {
        const api = (globalThis as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench
        const method = api[fn as string]
        if (!method) throw new Error(`bench page has no ${String(fn)}`)
        return method(...(rest as unknown[]))
      },
      [name, args] as const,
    ) as never
}

/** Runs every case in one browser; figures land in `samples` as `client.<label>.<what>`. */
export async function runBrowserBench(
  cases: readonly ClientCase[],
  samples: Samples,
  log: (line: string) => void,
): Promise<ClientInfo> {
  const server = await startStaticServer(await buildBenchPage())
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  const info: ClientInfo = { browser: `Chromium ${browser.version()}`, counts: {} }
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'bench ready')
    const call = caller(page)

    for (const c of cases) {
      log(`client ${c.label}: ${c.reps} repetitions`)
      const key = (what: string) => `client.${c.label}.${what}`
      const dbs = { engine: `engine-${c.label}`, floor: `floor-${c.label}`, bare: `bare-${c.label}` }
      server.clearData()
      server.setData('full', c.full)
      await call('load', 'full')
      for (const [name, body] of Object.entries(c.deltas)) {
        server.setData(name, body)
        await call('load', name)
      }

      // Untimed first pass: the device already holds the data when it does a full sync, so each timed run
      // replaces full tables, and first-open costs (schema creation) stay out of the figures.
      expectSynced(await call('engineSync', dbs.engine, 'full'), 'warm-up')
      await call('floorWrite', dbs.floor, 'full', true)
      await call('floorWrite', dbs.bare, 'full', false)

      for (let rep = 0; rep < c.reps; rep++) {
        samples.add(key('parse'), await call('parse', 'full'))
        // Alternate the order so neither side always runs right after the other's garbage.
        const runs: (() => Promise<void>)[] = [
          async () => {
            const t = expectSynced(await call('engineSync', dbs.engine, 'full'), 'replace')
            samples.add(key('replace.total'), t.totalMs)
            samples.add(key('replace.collect'), t.collectMs)
            samples.add(key('replace.validate'), t.validateMs)
            samples.add(key('replace.write'), t.writeMs)
          },
          async () => samples.add(key('floor.indexed'), await call('floorWrite', dbs.floor, 'full', true)),
          async () => samples.add(key('floor.bare'), await call('floorWrite', dbs.bare, 'full', false)),
        ]
        for (let i = 0; i < runs.length; i++) await (runs[(i + rep) % runs.length] as () => Promise<void>)()
      }

      // Not timed for the ratios: the same full sync while the list is read over and over beside it.
      for (let rep = 0; rep < Math.min(c.reps, 3); rep++) {
        const t = expectSynced(await call('engineSync', dbs.engine, 'full', true), 'replace with reads')
        samples.add(key('replace.longestRead'), t.longestReadMs ?? Number.NaN)
      }

      for (const name of Object.keys(c.deltas)) {
        for (let rep = 0; rep < c.reps; rep++) {
          const t = expectSynced(await call('engineSync', dbs.engine, name), name)
          samples.add(key(`${name}.total`), t.totalMs)
        }
      }

      info.counts[c.label] = {
        engine: await call('count', dbs.engine),
        floor: await call('count', dbs.floor),
        bare: await call('count', dbs.bare),
      }
      await call('dropAll', Object.values(dbs))
    }
    if (errors.length > 0) throw new Error(`bench page errors: ${errors.join('; ')}`)
    return info
  } finally {
    await browser.close()
    await server.close()
  }
}

function expectSynced(timing: EngineTiming, what: string): EngineTiming {
  if (timing.outcome !== 'synced')
    throw new Error(`client engine ${what}: ${timing.outcome} ${timing.error ?? ''}`)
  return timing
}

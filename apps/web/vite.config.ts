import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { VitePWA } from 'vite-plugin-pwa'

const THEME = '#1d4ed8'

// `npm run dev` and `vite preview` proxy /api to the API on PORT, which the repository's .env may set (as it does
// for the server); 127.0.0.1, not localhost, because Node may resolve localhost to ::1 while the API listens on IPv4.
const envFile = fileURLToPath(new URL('../../.env', import.meta.url))
if (existsSync(envFile)) process.loadEnvFile(envFile)
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`

/**
 * main.tsx imports the start-up code (src/app/start.tsx) after the first paint, which imports the app
 * (src/app/app.tsx) once an account is chosen: at once on the usual start (an account is stored), just after the
 * legacy-data check. Preloading those chunks and their imports from the HTML keeps these hops from costing round
 * trips; on the sign-in screen they are downloads that sign-in needs next anyway.
 */
const START = /[\\/]src[\\/]app[\\/]start\.tsx$/
const ADOPT_LEGACY_DATA = /[\\/]src[\\/]lib[\\/]account[\\/]adopt-legacy-data\.ts$/
const APP = /[\\/]src[\\/]app[\\/]app\.tsx$/
const PRELOADED_ON_START = [START, ADOPT_LEGACY_DATA, APP]

const webSource = /[\\/]apps[\\/]web[\\/]src[\\/]/
/** The app's own modules that start.tsx (and the legacy-data check) import, directly or not. */
const startModules = new Set<string>()
/** The app's own modules that app.tsx imports and the start does not: they must not run before an account is chosen. */
const appModules = new Set<string>()

/**
 * Fills `startModules` and `appModules`, which the `start` and `app` chunk groups capture. Without them the start path
 * is split into ~20 small chunks (each shared with some lazy screen), and on HTTP/1.1's six connections per host
 * every extra request on a slow link costs a round trip before the first screen can render. Two groups, not one:
 * lib/db.ts opens the stored account's database when it runs, so app.tsx's modules must stay out of start.tsx's
 * chunk.
 */
function collectStartPath(): Plugin {
  return {
    name: 'offline-sync:collect-start-path',
    apply: 'build',
    buildEnd() {
      const ids = [...this.getModuleIds()]
      const staticClosure = (roots: RegExp[]) => {
        const seen = new Set<string>()
        const pending = ids.filter((id) => roots.some((root) => root.test(id)))
        while (pending.length > 0) {
          const id = pending.pop()!
          if (seen.has(id)) continue
          seen.add(id)
          pending.push(...(this.getModuleInfo(id)?.importedIds ?? []))
        }
        return seen
      }
      // The roots stay out of the groups, each in its own small chunk: start.tsx awaits the app at its top level, so
      // a group chunk holding it would wait for itself when app.tsx's chunk imports the modules they share.
      const isShared = (id: string) => webSource.test(id) && !PRELOADED_ON_START.some((root) => root.test(id))
      startModules.clear()
      appModules.clear()
      for (const id of staticClosure([START, ADOPT_LEGACY_DATA])) if (isShared(id)) startModules.add(id)
      for (const id of staticClosure([APP])) if (isShared(id) && !startModules.has(id)) appModules.add(id)
    },
  }
}

function preloadApp(): Plugin {
  return {
    name: 'offline-sync:preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle ?? {}
        const chunks = Object.values(bundle)
        const files = new Set<string>()
        // Each start chunk and everything it imports statically, however deep (a facade chunk imports its group's).
        const add = (file: string) => {
          const chunk = bundle[file]
          if (!chunk || chunk.type !== 'chunk' || files.has(file)) return
          if (!html.includes(`/${file}"`)) files.add(file)
          chunk.imports.forEach(add)
        }
        for (const pattern of PRELOADED_ON_START) {
          const chunk = chunks.find((c) => c.type === 'chunk' && pattern.test(c.facadeModuleId ?? ''))
          if (chunk) add(chunk.fileName)
        }
        return [...files].map((file): HtmlTagDescriptor => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}`, fetchpriority: 'low' },
          injectTo: 'head',
        }))
      },
    },
  }
}

/**
 * The stylesheet is the one render-blocking request. Vite puts it after the entry script and its preloads, so on a
 * slow link (and in Lighthouse's simulation, six connections per host) it queues behind ~130 KB of JavaScript and the
 * first paint waits for it. Moving it first in <head> lets the static header paint as soon as HTML and CSS arrive.
 */
function stylesheetFirst(): Plugin {
  return {
    name: 'offline-sync:stylesheet-first',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const links = html.match(/\s*<link rel="stylesheet"[^>]*>/g)
        if (!links) return html
        let out = html
        for (const link of links) out = out.replace(link, '')
        return out.replace(/(<title>[^<]*<\/title>)/, `$1${links.join('')}`)
      },
    },
  }
}

export default defineConfig({
  plugins: [
    react(),
    collectStartPath(),
    preloadApp(),
    stylesheetFirst(),
    VitePWA({
      // The app shows its own "new version" prompt and registers the worker itself (src/lib/pwa/register-sw.ts).
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // globPatterns below already precaches every icon (the plugin adds the manifest): listing them again duplicates them.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Companies & Contacts',
        short_name: 'Contacts',
        description: 'Companies and their contacts, on your phone, online or offline.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME,
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // The richer install sheet: screenshots of the real app (made by e2e/tests/install-screenshots.spec.ts with
        // UPDATE_INSTALL_SCREENSHOTS=1), a phone's and a wide screen's; and the shortcuts a long press offers.
        screenshots: [
          {
            src: '/screenshots/companies-narrow.png',
            sizes: '780x1688',
            type: 'image/png',
            form_factor: 'narrow',
            label: 'The companies on the phone, with the search over companies and contacts',
          },
          {
            src: '/screenshots/companies-wide.png',
            sizes: '2560x1600',
            type: 'image/png',
            form_factor: 'wide',
            label: 'The companies on a wide screen, sorted by name',
          },
        ],
        shortcuts: [
          {
            name: 'Add company',
            url: '/companies/new',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
          {
            name: 'Search',
            description: 'Search companies and contacts',
            url: '/search',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
          {
            name: 'People',
            description: 'Every contact, by name or by company',
            url: '/people',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
        ],
      },
      // Our own worker (src/sw.ts): the generated one cannot run the sync engine on a Background Sync event.
      injectManifest: {
        // The app shell: everything the build emits, so the app opens with no network at all.
        globPatterns: ['**/*.{js,css,html,png,svg,ico}'],
        // The worker bundles the sync engine (Dexie, zod): larger than the 2 MB default is not expected, but the
        // precache must never silently drop a chunk of the app.
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        // The install sheet's screenshots are for the browser's install UI, not the offline app: not precached.
        globIgnores: ['screenshots/**'],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // The shared packages only declare things; marking them pure lets an unused module (the zod schemas of the
      // protocol) drop out of the first screen's chunks and load with the sync engine instead.
      treeshake: {
        moduleSideEffects: [{ test: /packages[\\/]sync-(protocol|client)[\\/]src[\\/]/, sideEffects: false }],
      },
      output: {
        // Libraries change less often than the app: separate chunks stay cached across app releases.
        codeSplitting: {
          groups: [
            // Vite's preload helper, which main.tsx imports before the first paint: alone, so no app code comes with it
            // (rolldown keeps its own runtime in a chunk of its own anyway).
            { name: 'runtime', test: /^\0vite[\\/]preload-helper/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // zod only validates sync responses: it stays out of vendor so it loads with the (lazy) sync engine;
            // papaparse likewise, with the export and import screens.
            { name: 'vendor', test: /node_modules[\\/](?!zod[\\/]|papaparse[\\/])/ },
            // The app's own start path in two files instead of ~20 (see collectStartPath).
            { name: 'start-modules', test: (id) => startModules.has(id) },
            { name: 'app-modules', test: (id) => appModules.has(id) },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': api },
  },
  preview: {
    proxy: { '/api': api },
  },
})

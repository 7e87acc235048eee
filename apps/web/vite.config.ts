import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { VitePWA } from 'vite-plugin-pwa'

const THEME = '#1d4ed8'

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // The app shows its own "new version" prompt and registers the worker itself (src/lib/pwa/register-sw.ts).
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
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
      },
      workbox: {
        // The app shell: everything the build emits, so the app opens with no network at all.
        globPatterns: ['**/*.{js,css,html,png,svg,ico}'],
        navigateFallback: '/index.html',
        // API calls must always reach the server (or fail): a cached sync response would be a lie.
        navigateFallbackDenylist: [/^\/api\//],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        // The new worker waits until the user accepts the prompt (it then posts SKIP_WAITING).
        skipWaiting: false,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across app releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
  preview: {
    proxy: { '/api': 'http://localhost:3000' },
  },
})

import express, { Router } from 'express'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Serves the built PWA from the same origin as the API. Hashed assets are cached for a year; the service worker,
 * its manifest and index.html must always be revalidated, or a new version would never reach the phones.
 */
export function staticApp(distDir: string): Router {
  const router = Router()
  if (!existsSync(join(distDir, 'index.html'))) {
    router.get('/', (_req, res) => {
      res
        .status(503)
        .type('text')
        .send(
          'The web app is not built. Run `npm start` (it builds apps/web), or `npm run dev` and open the Vite URL it prints (the app with live reload, its /api proxied here).',
        )
    })
    return router
  }
  router.use(
    express.static(distDir, {
      index: false,
      setHeaders(res, path) {
        if (/[\\/]assets[\\/]/.test(path))
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
        else res.setHeader('Cache-Control', 'no-cache')
      },
    }),
  )
  // Client-side routes (e.g. /companies/…) get the app shell; /api never does.
  router.get(/^\/(?!api\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(join(distDir, 'index.html'))
  })
  return router
}

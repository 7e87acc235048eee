/**
 * Bundles the bench page (bench-page.ts + the real client engine, Dexie and zod) with esbuild, the bundler
 * Vite itself uses, into memory. No files are written.
 */
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

export interface PageBundle {
  html: string
  script: string
}

export async function buildBenchPage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [join(here, 'bench-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  })
  const script = result.outputFiles[0]?.text
  if (!script) throw new Error('esbuild produced no bundle for the bench page')
  const html =
    '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench-page.js"></script>'
  return { html, script }
}

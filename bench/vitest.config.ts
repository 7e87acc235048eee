// Runs the benchmark's own tests: `npx vitest run -c bench/vitest.config.ts` from the repository root. (The root
// config's `include` does not list bench/; adding 'bench/**/*.test.ts' there makes `npm test` run them too.)
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import root from '../vitest.config.ts'

// Not mergeConfig: it would concatenate the root's include list with this one.
export default defineConfig({
  ...root,
  test: {
    ...root.test,
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['bench/**/*.test.ts'],
  },
})

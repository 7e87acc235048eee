import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'apps/server/test/**/*.test.ts',
      'apps/web/src/**/*.test.ts',
      'apps/web/src/**/*.test.tsx',
      'bench/**/*.test.ts',
      'load/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // Tests that migrate a throwaway Postgres database need more than the default 5 s on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

import { defineConfig } from '@playwright/test'
import { join } from 'node:path'
import { chromiumLaunchOptions, phone } from './support/chromium.ts'
import { resultsDir } from './support/paths.ts'

/**
 * End-to-end journeys in real Chromium against the real server and a throwaway Postgres database.
 * Run: `npm run build -w apps/web && CHROMIUM_PATH=/usr/bin/chromium npx playwright test -c e2e/playwright.config.ts`
 */
export default defineConfig({
  testDir: './tests',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: join(resultsDir, 'e2e'),
  // Two cores: one browser at a time keeps timings honest and the suite short.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // scripts/test.mjs reads the totals from the JSON report and names its path in PLAYWRIGHT_JSON_OUTPUT_NAME;
  // run by hand, the report goes to test-results/ instead of flooding the terminal.
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? join(resultsDir, 'e2e-report.json') }],
  ],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    ...phone,
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})

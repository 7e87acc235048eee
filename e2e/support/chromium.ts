import type { LaunchOptions } from '@playwright/test'

/**
 * How to launch the system Chromium (Playwright cannot download its own here). Shared by the config and by the
 * installability test, which needs a persistent profile and so launches Chromium itself.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    // We run as root in a container: Chromium refuses to start sandboxed.
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    // Without these Chromium keeps calling home on a closed network, which slows every test.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

/** A phone: every screenshot and every journey runs at this size. */
export const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const

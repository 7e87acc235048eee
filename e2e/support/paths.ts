import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: the server is started from here and artifacts land here, wherever Playwright runs from. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..')

/** Phone-size screenshots of the main screens, kept as test artifacts. */
export const screenshotDir = join(repoRoot, 'artifacts/screenshots')

/** Playwright's own output, plus the server's log for the run. E2E_RESULTS_DIR lets two runs on one machine not collide. */
export const resultsDir = process.env.E2E_RESULTS_DIR ?? join(repoRoot, 'test-results')

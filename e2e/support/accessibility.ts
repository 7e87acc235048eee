import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'
import { AXE_TAGS } from './axe-tags.ts'

/** No axe violation on the page as it is now (e.g. with an error, a dialog or a prompt showing). */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()
  expect(
    results.violations.map(
      (violation) =>
        `${violation.id}: ${violation.help} — ${violation.nodes.map((n) => n.target).join(', ')}`,
    ),
    what,
  ).toEqual([])
}

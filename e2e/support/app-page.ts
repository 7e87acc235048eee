import { expect, type Locator, type Page } from '@playwright/test'
import { readLocalRecords, waitForServiceWorker } from './browser-state.ts'

/** Form values by field label, as a person reads them on screen ("Name", "Job title", …). */
export type FormInput = Record<string, string>

/**
 * The app as a person uses it, in one place: when the UI changes, this file changes and the journeys do not.
 * Navigation is always by clicking inside the app (a page.goto would restart it and its startup sync).
 * Every method relies on Playwright's auto-waiting; none sleeps.
 */
export class AppPage {
  readonly syncBar: Locator
  readonly syncButton: Locator
  readonly pendingCount: Locator
  readonly onlineStatus: Locator
  readonly lastSynced: Locator
  readonly syncError: Locator
  readonly companyList: Locator
  readonly title: Locator

  constructor(readonly page: Page) {
    this.syncBar = page.getByTestId('sync-bar')
    this.syncButton = page.getByTestId('sync-button')
    this.pendingCount = page.getByTestId('pending-count')
    this.onlineStatus = page.getByTestId('online-status')
    this.lastSynced = page.getByTestId('last-synced')
    this.syncError = page.getByTestId('sync-error')
    this.companyList = page.getByTestId('company-list')
    this.title = page.getByRole('main').getByRole('heading', { level: 1 })
  }

  /** Opens (or restarts) the app at `path` and waits for its shell. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path)
    await expect(this.syncBar).toBeVisible()
  }

  /** Opens the app and waits until the startup sync has finished and nothing is pending. */
  async openSynced(path = '/'): Promise<void> {
    await this.open(path)
    await this.expectSynced()
  }

  /** Waits for the service worker to control the page: required before going offline. */
  async waitForServiceWorker(): Promise<void> {
    await waitForServiceWorker(this.page)
  }

  /** Waits until a sync has completed, none is under way and no local change is waiting. */
  async expectSynced(): Promise<void> {
    await expect(this.lastSynced).not.toHaveText(/never/i)
    await expect(this.syncBar).toHaveAttribute('data-state', 'idle')
    await this.expectPending(0)
    await expect(this.syncButton).toBeEnabled()
  }

  /** The number of local changes waiting for a sync, as the sync bar counts them. */
  async expectPending(count: number): Promise<void> {
    await expect(this.pendingCount).toHaveAttribute('data-count', String(count))
  }

  async expectOnline(online: boolean): Promise<void> {
    await expect(this.onlineStatus).toHaveAttribute('data-online', String(online))
    await expect(this.onlineStatus).toHaveText(online ? 'Online' : 'Offline')
  }

  companyRow(name: string): Locator {
    return this.page.getByTestId('company-row').filter({ hasText: name })
  }

  contactRow(name: string): Locator {
    return this.page.getByTestId('contact-row').filter({ hasText: name })
  }

  /** Back to the company list through the main navigation. */
  async goHome(): Promise<void> {
    await this.page.getByTestId('nav-companies').click()
    await expect(this.title).toHaveText('Companies')
  }

  /** From the company list, opens a company's page. */
  async openCompany(name: string): Promise<void> {
    await this.goHome()
    await this.companyRow(name).getByRole('link').click()
    await expect(this.title).toHaveText(name)
  }

  /** Opens the form for a new company from the list and fills it in, without saving. */
  async startCreatingCompany(input: FormInput): Promise<void> {
    await this.goHome()
    await this.page.getByTestId('add-company').click()
    await expect(this.title).toHaveText('Add company')
    await this.fillForm(input)
  }

  /** Adds a company through its form; ends on the new company's page. */
  async createCompany(input: FormInput & { Name: string }): Promise<void> {
    await this.startCreatingCompany(input)
    await this.save()
    await expect(this.title).toHaveText(input.Name)
  }

  /** On a company's page: opens the form for a new contact of it and fills it in, without saving. */
  async startAddingContact(input: FormInput): Promise<void> {
    await this.page.getByTestId('add-contact').click()
    await expect(this.title).toHaveText('Add contact')
    await this.fillForm(input)
  }

  /** On a company's page: adds a contact to it; ends back on the company's page. */
  async addContact(input: FormInput & { Name: string }): Promise<void> {
    const company = await this.title.textContent()
    await this.startAddingContact(input)
    await this.save()
    await expect(this.title).toHaveText(company ?? '')
    await expect(this.contactRow(input.Name)).toBeVisible()
  }

  /** Opens a company's edit form from the list and fills it in, without saving. */
  async startEditingCompany(name: string, input: FormInput): Promise<void> {
    await this.openCompany(name)
    await this.page.getByTestId('edit-company').click()
    await expect(this.title).toHaveText('Edit company')
    await this.fillForm(input)
  }

  /** Edits a company through its form; ends on the company's page. */
  async editCompany(name: string, input: FormInput): Promise<void> {
    await this.startEditingCompany(name, input)
    await this.save()
    await expect(this.title).toHaveText(input.Name ?? name)
  }

  async fillForm(input: FormInput): Promise<void> {
    for (const [label, value] of Object.entries(input)) {
      // Required fields read "Name (required)"; match the whole label so "Name" never hits "Search … by name".
      const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      await this.page.getByLabel(new RegExp(`^${escaped}( \\(required\\))?$`)).fill(value)
    }
  }

  async save(): Promise<void> {
    await this.page.getByTestId('save-button').click()
  }

  /** The local tables, read straight from IndexedDB. */
  local() {
    return readLocalRecords(this.page)
  }

  /** Taps the Sync button and waits until that sync has finished (refusals included). */
  async syncNow(): Promise<void> {
    // Waiting for the answer first: the bar is already idle before the tap, so idle alone proves nothing.
    const answered = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sync')
    await this.syncButton.click()
    await answered
    await expect(this.syncBar).toHaveAttribute('data-state', 'idle')
    await expect(this.syncButton).toBeEnabled()
  }

  /** Opens the attention page through the main navigation. */
  async openAttention(): Promise<void> {
    await this.page.getByTestId('nav-attention').click()
    await expect(this.title).toHaveText('Needs attention')
  }

  /** An entry of the attention page, by a text it shows (a record's name or the reason). */
  attentionItem(text: string | RegExp): Locator {
    return this.page.getByTestId('attention-item').filter({ hasText: text })
  }
}

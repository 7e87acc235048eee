import { expect, type Locator, type Page } from '@playwright/test'
import type { Credentials } from './accounts.ts'

/**
 * The account UI as a person uses it: the setup and sign-in screens, the "sign in again" dialog, the account menu
 * in the header. Like app-page.ts, the only place that knows these test ids.
 */
export class SignInPage {
  readonly screen: Locator
  readonly dialog: Locator
  readonly error: Locator
  readonly accountEmail: Locator
  readonly signInAgain: Locator
  readonly confirmSignOut: Locator

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('auth-screen')
    this.dialog = page.getByTestId('sign-in-dialog')
    this.error = page.getByTestId('auth-error')
    this.accountEmail = page.getByTestId('account-email')
    this.signInAgain = page.getByTestId('sign-in-again')
    this.confirmSignOut = page.getByTestId('confirm-sign-out')
  }

  /** Waits for the setup or sign-in screen. */
  async expectScreen(screen: 'setup' | 'sign-in'): Promise<void> {
    await expect(this.screen).toHaveAttribute('data-screen', screen)
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(
      screen === 'setup' ? 'Create the first account' : 'Sign in',
    )
  }

  /** Types the credentials by their labels into the form in `scope` (the screen or the dialog) and submits. */
  async submit(credentials: Credentials, scope: Locator = this.screen): Promise<void> {
    await scope.getByLabel('Email').fill(credentials.email)
    await scope.getByLabel('Password').fill(credentials.password)
    await scope.getByTestId('auth-submit').click()
  }

  /** Signs in on the sign-in screen and waits for the app to show that account. */
  async signIn(credentials: Credentials): Promise<void> {
    await this.expectScreen('sign-in')
    await this.submit(credentials)
    await this.expectSignedInAs(credentials.email)
  }

  async expectSignedInAs(email: string): Promise<void> {
    await expect(this.accountEmail).toContainText(email)
  }

  /** Sign out from the header; `confirm` answers the unsent-changes warning when it comes. */
  async signOut(confirm?: 'confirm' | 'cancel'): Promise<void> {
    await this.page.getByTestId('sign-out-button').click()
    if (confirm) {
      await expect(this.confirmSignOut).toBeVisible()
      await this.confirmSignOut.getByTestId(confirm === 'confirm' ? 'confirm-ok' : 'confirm-cancel').click()
      if (confirm === 'cancel') return
    }
    await this.expectScreen('sign-in')
  }
}

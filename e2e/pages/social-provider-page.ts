import { type Locator, type Page, expect } from '@playwright/test';
import { submitAndWait } from '../support/navigation';

/**
 * The stand-in social provider's sign-in form (oidc-provider's development login, started by
 * the global setup on 127.0.0.1): any login and password sign in; the login is the identity.
 * Not our page, so no accessibility or language checks.
 */
export class SocialProviderPage {
  readonly login: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.login = page.getByPlaceholder('Enter any login');
    this.password = page.getByPlaceholder('and password');
    this.submit = page.getByRole('button', { name: 'Sign-in' });
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//);
    await expect(this.login).toBeVisible();
  }

  async signIn(login: string): Promise<void> {
    await this.login.fill(login);
    await this.password.fill('any password');
    await submitAndWait(this.page, () => this.submit.click());
  }
}

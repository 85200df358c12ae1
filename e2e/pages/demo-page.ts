import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import type { E2eAccount } from '../support/accounts';
import { type Locale, messagesFor, translatorFor } from '../support/messages';

/** The demo relying party at /demo, as someone reading `locale` sees it. */
export class DemoPage {
  readonly heading: Locator;
  readonly signInLink: Locator;
  readonly signOutButton: Locator;
  readonly signedInStatus: Locator;
  readonly claimsHeading: Locator;
  /** The <pre> with the ID token claims (JSON); data-testid is its documented hook. */
  readonly claims: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const m = messagesFor(locale);
    this.heading = page.getByRole('heading', { level: 1, name: m.demo.title, exact: true });
    this.signInLink = page.getByRole('link', { name: m.demo.signIn, exact: true });
    this.signOutButton = page.getByRole('button', { name: m.demo.signOut, exact: true });
    this.signedInStatus = page.getByRole('status');
    this.claimsHeading = page.getByRole('heading', { level: 2, name: m.demo.claimsHeading, exact: true });
    this.claims = page.getByTestId('id-token-claims');
  }

  async goto(): Promise<void> {
    await this.page.goto('/demo');
  }

  private async expectDemoPage(): Promise<void> {
    await expect(this.page).toHaveURL(/\/demo(\?.*)?$/);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.heading).toBeVisible();
  }

  async expectSignedOut(): Promise<void> {
    await this.expectDemoPage();
    await expect(this.signInLink).toBeVisible();
    await expect(this.claims).toHaveCount(0);
    await expect(this.signOutButton).toHaveCount(0);
    await this.a11y.check(`demo page, signed out (${this.locale})`);
  }

  /** Checks the signed-in view and returns the ID token claims it shows. */
  async expectSignedIn(account: E2eAccount): Promise<Record<string, unknown>> {
    await this.expectDemoPage();
    await expect(this.signedInStatus).toHaveText(translatorFor(this.locale)('demo.signedInAs', { email: account.email }));
    await expect(this.claimsHeading).toBeVisible();
    await expect(this.claims).toBeVisible();
    await expect(this.signOutButton).toBeVisible();
    await expect(this.signInLink).toHaveCount(0);
    const claims = JSON.parse((await this.claims.textContent()) ?? '') as Record<string, unknown>;
    await this.a11y.check(`demo page, signed in (${this.locale})`);
    return claims;
  }

  async startSignIn(): Promise<void> {
    await this.signInLink.click();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}

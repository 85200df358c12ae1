import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import { DEMO_CLIENT_NAME } from '../support/demo-client';
import { type Locale, messagesFor, translatorFor } from '../support/messages';

/** Meridian ID's RP-initiated logout confirmation (/oidc/session/end), in `locale`. */
export class LogoutPage {
  readonly heading: Locator;
  readonly fromClient: Locator;
  readonly question: Locator;
  readonly confirmButton: Locator;
  readonly cancelButton: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const m = messagesFor(locale);
    this.heading = page.getByRole('heading', { level: 1, name: m.logout.title, exact: true });
    this.fromClient = page.getByText(translatorFor(locale)('logout.fromClient', { client: DEMO_CLIENT_NAME }), { exact: true });
    this.question = page.getByText(m.logout.question, { exact: true });
    this.confirmButton = page.getByRole('button', { name: m.logout.confirm, exact: true });
    this.cancelButton = page.getByRole('button', { name: m.logout.cancel, exact: true });
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/oidc\/session\/end(\?|$)/);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.heading).toBeVisible();
    await expect(this.fromClient).toBeVisible();
    await expect(this.question).toBeVisible();
    await expect(this.confirmButton).toBeVisible();
    await expect(this.cancelButton).toBeVisible();
    await this.a11y.check(`logout confirmation (${this.locale})`);
  }

  async confirm(): Promise<void> {
    await this.confirmButton.click();
  }
}

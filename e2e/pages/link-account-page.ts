import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import { submitAndWait } from '../support/navigation';
import { type Locale, messagesFor, translatorFor } from '../support/messages';

/** /upstream/link: a social identity whose email has an account; that account's password links them. */
export class LinkAccountPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly code: Locator;
  readonly sendCode: Locator;
  readonly alert: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const m = messagesFor(locale);
    this.heading = page.getByRole('heading', { level: 1, name: m.upstreamLink.title, exact: true });
    this.email = page.getByLabel(m.signin.email, { exact: true });
    this.password = page.getByLabel(m.signin.password, { exact: true });
    this.code = page.getByLabel(m.emailCode.code, { exact: true });
    this.sendCode = page.getByRole('button', { name: m.upstreamLink.sendCode, exact: true });
    this.alert = page.getByRole('main').getByRole('alert');
  }

  submit(provider: string): Locator {
    const t = translatorFor(this.locale);
    return this.page.getByRole('button', { name: t('upstreamLink.submit', { provider }), exact: true });
  }

  async expectShown(email: string, provider: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/upstream\/link(\?.*)?$/);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText(translatorFor(this.locale)('upstreamLink.intro', { provider, email }), { exact: true })).toBeVisible();
    await expect(this.email).toHaveValue(email);
    await expect(this.email).toHaveAttribute('autocomplete', 'username');
    await expect(this.password).toHaveAttribute('autocomplete', 'current-password');
    await this.a11y.check(`link account page (${this.locale})`);
  }

  async enterPassword(password: string, provider: string): Promise<void> {
    await this.password.fill(password);
    await submitAndWait(this.page, () => this.submit(provider).click());
  }

  /** The variant for an account without a password: a code mailed to its address instead. */
  async expectCodeOffered(email: string, provider: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/upstream\/link(\?.*)?$/);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText(translatorFor(this.locale)('upstreamLink.introCode', { provider, email }), { exact: true })).toBeVisible();
    await expect(this.password).toHaveCount(0);
    await this.a11y.check(`link account page, by code (${this.locale})`);
  }

  async requestCode(): Promise<void> {
    await submitAndWait(this.page, () => this.sendCode.click());
    await expect(this.code).toHaveAttribute('autocomplete', 'one-time-code');
  }

  async enterCode(code: string, provider: string): Promise<void> {
    await this.code.fill(code);
    await submitAndWait(this.page, () => this.submit(provider).click());
  }
}

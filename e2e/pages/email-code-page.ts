import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import { submitAndWait } from '../support/navigation';
import { type Locale, messagesFor } from '../support/messages';

/** /interaction/<uid>/email-code: passwordless sign-in, the email form then the code form. */
export class EmailCodePage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly code: Locator;
  readonly send: Locator;
  readonly verify: Locator;
  readonly alert: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const m = messagesFor(locale);
    const main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: m.emailCode.title, exact: true });
    this.email = main.getByLabel(m.signin.email, { exact: true });
    this.code = main.getByLabel(m.emailCode.code, { exact: true });
    this.send = main.getByRole('button', { name: m.emailCode.send, exact: true });
    this.verify = main.getByRole('button', { name: m.emailCode.verify, exact: true });
    this.alert = main.getByRole('alert');
  }

  async requestCode(email: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/interaction\/[^/]+\/email-code$/);
    await expect(this.heading).toBeVisible();
    await expect(this.email).toHaveAttribute('autocomplete', 'username');
    await this.a11y.check(`email-code page (${this.locale})`);
    await this.email.fill(email);
    await submitAndWait(this.page, () => this.send.click());
  }

  async enterCode(code: string): Promise<void> {
    await expect(this.code).toHaveAttribute('autocomplete', 'one-time-code');
    await this.code.fill(code);
    await submitAndWait(this.page, () => this.verify.click());
  }
}

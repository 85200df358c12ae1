import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import type { Locale } from '../support/messages';
import { textFor } from '../support/text';

/** The demo outbox (/demo/outbox): the mail a demo server without SMTP_URL keeps instead of sending. */
export class DemoOutboxPage {
  readonly heading: Locator;
  readonly banner: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: textFor(locale, 'demoOutbox.title'), exact: true });
    this.banner = page.getByRole('note');
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/demo\/outbox$/);
    await expect(this.heading).toBeVisible();
    await expect(this.banner).toHaveText(textFor(this.locale, 'demoOutbox.banner'));
    await this.a11y.check(`demo outbox (${this.locale})`);
  }

  /** The newest mail to `to` (reloading until it is there), by its accessible name. */
  mailTo(to: string): Locator {
    return this.page.getByRole('article').filter({ hasText: textFor(this.locale, 'demoOutbox.to', { address: to }) }).first();
  }

  /** The 6-digit code of the newest mail to `to`. */
  async codeFor(to: string): Promise<string> {
    await expect(async () => {
      await this.page.reload();
      await expect(this.mailTo(to)).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    const text = (await this.mailTo(to).locator('pre').textContent()) ?? '';
    const code = /^\s*(\d{6})\s*$/m.exec(text)?.[1];
    if (!code) throw new Error(`no 6-digit code in the outbox mail to ${to}:\n${text}`);
    return code;
  }
}

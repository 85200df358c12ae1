import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import { DEMO_CLIENT_NAME } from '../support/demo-client';
import { submitAndWait } from '../support/navigation';
import { type Locale, messagesFor, translatorFor } from '../support/messages';

export const INTERACTION_URL = /\/interaction\/[^/?#]+(\?[^#]*)?$/;

/** Meridian ID's sign-in page (/interaction/<uid>), as someone reading `locale` sees it. */
export class SignInPage {
  readonly heading: Locator;
  readonly subtitle: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;
  readonly languageSwitcher: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const m = messagesFor(locale);
    this.heading = page.getByRole('heading', { level: 1, name: m.signin.title, exact: true });
    this.subtitle = page.getByText(translatorFor(locale)('signin.subtitle', { client: DEMO_CLIENT_NAME }), { exact: true });
    this.email = page.getByLabel(m.signin.email, { exact: true });
    this.password = page.getByLabel(m.signin.password, { exact: true });
    this.submit = page.getByRole('button', { name: m.signin.submit, exact: true });
    // Inside <main>: Next.js adds its own (empty) role=alert route announcer to every page.
    this.alert = page.getByRole('main').getByRole('alert');
    this.languageSwitcher = page.getByRole('navigation', { name: m.locale.switcherLabel, exact: true });
  }

  /** The switcher button for a language; each is named in its own language on every page. */
  languageButton(locale: Locale): Locator {
    return this.languageSwitcher.getByRole('button', { name: messagesFor(locale).locale[locale], exact: true });
  }

  /** The sign-in page in this locale, with the labelled fields of our form contract. */
  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(INTERACTION_URL);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.heading).toBeVisible();
    await expect(this.subtitle).toBeVisible();
    await expect(this.email).toBeVisible();
    await expect(this.email).toHaveAttribute('autocomplete', 'username');
    await expect(this.password).toBeVisible();
    await expect(this.password).toHaveAttribute('type', 'password');
    await expect(this.password).toHaveAttribute('autocomplete', 'current-password');
    await expect(this.submit).toBeVisible();
    await expect(this.languageButton(this.locale)).toHaveAttribute('aria-current', 'true');
    await this.a11y.check(`sign-in page (${this.locale})`);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await submitAndWait(this.page, () => this.submit.click());
  }

  /**
   * Still on the sign-in page after a refused attempt: the message is announced (role=alert),
   * tied to both fields, the typed email is kept and the password is not.
   */
  async expectError(message: string, typedEmail: string): Promise<void> {
    await expect(this.page).toHaveURL(INTERACTION_URL);
    await expect(this.alert).toHaveText(message);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.heading).toBeVisible();
    await expect(this.email).toHaveValue(typedEmail);
    await expect(this.password).toHaveValue('');
    for (const field of [this.email, this.password]) {
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveAccessibleDescription(message);
    }
    await this.a11y.check(`sign-in page with error "${message}" (${this.locale})`);
  }

  /** Uses the language switcher and returns the page object for the new language. */
  async switchLanguage(locale: Locale): Promise<SignInPage> {
    await submitAndWait(this.page, () => this.languageButton(locale).click());
    return new SignInPage(this.page, this.a11y, locale);
  }
}

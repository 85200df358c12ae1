import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import { type Locale, messagesFor } from '../support/messages';
import { textFor } from '../support/text';
import { submitAndWait } from '../support/navigation';

export const SIGNUP_URL = /\/signup\/[A-Za-z0-9_-]{20,}(\?[^#]*)?$/;

/** The steps of the sign-up flow, by what the page asks for. */
export type SignUpStep = 'region' | 'email' | 'email_code' | 'password' | 'birth_date' | 'terms' | 'marketing_consent' | 'profile_name' | 'identity_verification';

/**
 * Meridian ID's sign-up page (/signup/<flowId>) as someone reading `locale` sees it. Every field
 * is found by its visible label and every button by its name, in that language, from the same
 * messages/*.json the server renders; each step also checks its autocomplete token (the form
 * contract of shared/design.md).
 */
export class SignUpPage {
  readonly heading: Locator;
  readonly region: Locator;
  readonly email: Locator;
  readonly code: Locator;
  readonly password: Locator;
  readonly strengthMeter: Locator;
  readonly birthDate: Locator;
  readonly marketing: Locator;
  readonly name: Locator;
  readonly signInLink: Locator;
  /** role=alert inside <main> (Next.js adds its own empty route announcer outside it). */
  readonly alert: Locator;
  readonly languageSwitcher: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const t = this.t.bind(this);
    const main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: t('signupPage.title'), exact: true });
    this.region = main.getByLabel(t('region.label'), { exact: true });
    this.email = main.getByLabel(t('signup.email.label'), { exact: true });
    this.code = main.getByLabel(t('signup.code.label'), { exact: true });
    this.password = main.getByLabel(t('signup.password.label'), { exact: true });
    this.strengthMeter = main.getByRole('meter', { name: t('flow.strength.label'), exact: true });
    this.birthDate = main.getByLabel(t('signup.birth_date.label'), { exact: true });
    this.marketing = main.getByRole('checkbox', { name: t('signup.marketing.label'), exact: true });
    this.name = main.getByLabel(t('signup.name.label'), { exact: true });
    this.signInLink = page.getByRole('navigation', { name: t('flow.navigationLabel'), exact: true }).getByRole('link', { name: t('signup.nav.sign_in'), exact: true });
    this.alert = main.getByRole('alert');
    this.languageSwitcher = page.getByRole('navigation', { name: messagesFor(locale).locale.switcherLabel, exact: true });
  }

  /** A UI string of this locale (fails loudly when the key is missing). */
  t(key: string, values?: Record<string, string | number>): string {
    return textFor(this.locale, key, values);
  }

  button(action: 'continue' | 'verify' | 'resend' | 'change_email' | 'accept' | 'finish' | 'start_verification'): Locator {
    return this.page.getByRole('main').getByRole('button', { name: this.t(`signup.action.${action}`), exact: true });
  }

  /** The checkbox accepting a region's document; its label links to the document. */
  documentCheckbox(documentId: string, version: string): Locator {
    return this.page.getByRole('main').getByRole('checkbox', { name: this.t(`legal.accept.${documentId}`, { version }), exact: true });
  }

  documentLink(documentId: string): Locator {
    return this.page.getByRole('main').getByRole('link', { name: this.t(`legal.documents.${documentId}`), exact: true });
  }

  languageButton(locale: Locale): Locator {
    return this.languageSwitcher.getByRole('button', { name: messagesFor(locale).locale[locale], exact: true });
  }

  /** The page in this locale, on the given step, with the field of that step; checked with axe. */
  async expectStep(step: SignUpStep, state = ''): Promise<void> {
    await expect(this.page).toHaveURL(SIGNUP_URL);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.heading).toBeVisible();
    await expect(this.languageButton(this.locale)).toHaveAttribute('aria-current', 'true');
    switch (step) {
      case 'region':
        await expect(this.region).toBeVisible();
        await expect(this.email).toHaveCount(0);
        break;
      case 'email':
        await expect(this.email).toBeVisible();
        await expect(this.email).toHaveAttribute('type', 'email');
        await expect(this.email).toHaveAttribute('autocomplete', 'email');
        break;
      case 'email_code':
        await expect(this.code).toBeVisible();
        await expect(this.code).toHaveAttribute('autocomplete', 'one-time-code');
        await expect(this.code).toHaveAttribute('inputmode', 'numeric');
        await expect(this.button('resend')).toBeVisible();
        break;
      case 'password':
        await expect(this.password).toBeVisible();
        await expect(this.password).toHaveAttribute('type', 'password');
        await expect(this.password).toHaveAttribute('autocomplete', 'new-password');
        await expect(this.password).toHaveValue('');
        break;
      case 'birth_date':
        await expect(this.birthDate).toBeVisible();
        await expect(this.birthDate).toHaveAttribute('type', 'date');
        await expect(this.birthDate).toHaveAttribute('autocomplete', 'bday');
        break;
      case 'terms':
        await expect(this.button('accept')).toBeVisible();
        break;
      case 'marketing_consent':
        await expect(this.marketing).toBeVisible();
        break;
      case 'profile_name':
        await expect(this.name).toBeVisible();
        await expect(this.name).toHaveAttribute('autocomplete', 'name');
        break;
      case 'identity_verification':
        await expect(this.button('start_verification')).toBeVisible();
        break;
    }
    await this.a11y.check(`sign-up ${step}${state ? ` ${state}` : ''} (${this.locale})`);
  }

  private async submit(action: Parameters<SignUpPage['button']>[0] = 'continue'): Promise<void> {
    await submitAndWait(this.page, () => this.button(action).click());
  }

  async chooseRegion(code: string): Promise<void> {
    await this.region.selectOption(code);
    await expect(this.region.locator('option:checked')).toHaveText(this.t(`region.names.${code}`));
    await this.submit();
  }

  async enterEmail(email: string): Promise<void> {
    await this.email.fill(email);
    await this.submit();
  }

  async enterCode(code: string): Promise<void> {
    await this.code.fill(code);
    await this.submit('verify');
  }

  async choosePassword(password: string): Promise<void> {
    await this.password.fill(password);
    await this.submit();
  }

  /** `isoDate` is YYYY-MM-DD, what <input type="date"> submits whatever the display format. */
  async enterBirthDate(isoDate: string): Promise<void> {
    await this.birthDate.fill(isoDate);
    await this.submit();
  }

  async acceptDocuments(documents: readonly { id: string; version: string }[]): Promise<void> {
    for (const doc of documents) await this.documentCheckbox(doc.id, doc.version).check();
    await this.submit('accept');
  }

  /**
   * A screen of several steps (the US asks for the password, the date of birth and the terms
   * together): fills what is given, then presses the one button, the last step's.
   */
  async enterDetails(details: { password: string; birthDate: string; documents: readonly { id: string; version: string }[] }): Promise<void> {
    await this.password.fill(details.password);
    await this.birthDate.fill(details.birthDate);
    for (const doc of details.documents) await this.documentCheckbox(doc.id, doc.version).check();
    await expect(this.button('continue'), 'one button for the whole screen').toHaveCount(0);
    await this.submit('accept');
  }

  async enterName(name: string): Promise<void> {
    await this.name.fill(name);
    await this.submit();
  }

  async startVerification(): Promise<void> {
    await this.submit('start_verification');
  }

  async answerMarketing(optIn: boolean): Promise<void> {
    await this.marketing.setChecked(optIn);
    await this.submit();
  }

  /**
   * Still on the same step after a refused submission: the field shows the localized message,
   * is marked invalid and described by it, and the page passes axe in that state.
   */
  async expectFieldError(field: Locator, message: string, step: SignUpStep): Promise<void> {
    await expect(this.page).toHaveURL(SIGNUP_URL);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.page.getByRole('main').getByText(message, { exact: true })).toBeVisible();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message);
    await expect(field).toBeFocused();
    await this.a11y.check(`sign-up ${step} with error "${message}" (${this.locale})`);
  }

  /** The flow ended without an account: the localized reason as an alert, and a link onwards. */
  async expectRefused(message: string, linkName: string): Promise<Locator> {
    await expect(this.page).toHaveURL(SIGNUP_URL);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.page.getByRole('heading', { level: 1, name: this.t('signupPage.refusedTitle'), exact: true })).toBeVisible();
    await expect(this.alert).toHaveText(message);
    await expect(this.page.getByRole('main').getByRole('textbox')).toHaveCount(0);
    await expect(this.page.getByRole('main').getByRole('button')).toHaveCount(0);
    const link = this.page.getByRole('main').getByRole('link', { name: linkName, exact: true });
    await expect(link).toBeVisible();
    await this.a11y.check(`sign-up refused (${this.locale})`);
    return link;
  }

  /** An unknown or expired flow, or one bound to another browser: a localized explanation and a way to start again. */
  async expectUnavailable(): Promise<Locator> {
    await expect(this.page).toHaveURL(SIGNUP_URL);
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.page.getByRole('heading', { level: 1, name: this.t('signupPage.expiredTitle'), exact: true })).toBeVisible();
    await expect(this.alert).toHaveText(this.t('signupPage.expired'));
    await expect(this.page.getByRole('main').getByRole('textbox')).toHaveCount(0);
    const startAgain = this.page.getByRole('main').getByRole('link', { name: this.t('signupPage.startAgain'), exact: true });
    await expect(startAgain).toHaveAttribute('href', '/signup');
    await this.a11y.check(`sign-up unavailable (${this.locale})`);
    return startAgain;
  }

  /** Uses the language switcher and returns the page object for the new language (same flow). */
  async switchLanguage(locale: Locale): Promise<SignUpPage> {
    await submitAndWait(this.page, () => this.languageButton(locale).click());
    return new SignUpPage(this.page, this.a11y, locale);
  }
}

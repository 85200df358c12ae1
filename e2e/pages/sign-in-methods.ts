import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import { submitAndWait } from '../support/navigation';
import { type Locale, messagesFor, translatorFor } from '../support/messages';

/** The region picker and the "Continue with …" buttons of the sign-in page, as `locale` reads them. */
export class SignInMethods {
  readonly region: Locator;
  readonly changeRegion: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    const m = messagesFor(locale);
    this.region = page.getByRole('combobox', { name: m.region.label, exact: true });
    this.changeRegion = page.getByRole('button', { name: m.signin.regionChange, exact: true });
  }

  /** The button of a social provider ("Continue with LINE"); `provider` is its id in config. */
  socialButton(provider: 'line' | 'google'): Locator {
    const t = translatorFor(this.locale);
    return this.page.getByRole('button', { name: t('signin.continueWith', { provider: t(`signin.providers.${provider}`) }), exact: true });
  }

  /** The region the page shows methods for (the picker's selected option), by its localized name. */
  async expectRegion(code: 'JP' | 'TW' | 'HK' | 'US'): Promise<void> {
    const name = (messagesFor(this.locale).region.names as Record<string, string>)[code]!;
    await expect(this.region.locator('option:checked')).toHaveText(name);
  }

  /** Exactly these social providers are offered (and the password form stays). */
  async expectSocialProviders(shown: ('line' | 'google')[], label: string): Promise<void> {
    for (const provider of ['line', 'google'] as const) {
      await expect(this.socialButton(provider)).toHaveCount(shown.includes(provider) ? 1 : 0);
    }
    await this.a11y.check(`sign-in page, ${label} (${this.locale})`);
  }

  async chooseRegion(code: 'JP' | 'TW' | 'HK' | 'US'): Promise<void> {
    await this.region.selectOption(code);
    await submitAndWait(this.page, () => this.changeRegion.click());
  }
}

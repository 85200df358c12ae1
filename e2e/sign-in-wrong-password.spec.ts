import { expect, test } from './fixtures';
import { ACCOUNTS, type E2eAccount, UNKNOWN_EMAIL } from './support/accounts';
import { BROWSER_LOCALE, LOCALES, type Locale, messagesFor } from './support/messages';

/**
 * A wrong password keeps the person on the sign-in page with a message in their language and
 * never reaches the app; an unknown email gets exactly the same message (no account
 * enumeration). The interaction survives the errors: the right password then completes it.
 */

const ACCOUNT_BY_LOCALE: Record<Locale, E2eAccount> = {
  en: ACCOUNTS.wrongPasswordEn,
  ja: ACCOUNTS.wrongPasswordJa,
  'zh-TW': ACCOUNTS.wrongPasswordZhTw,
};

for (const locale of LOCALES) {
  test.describe(`wrong password in ${locale}`, () => {
    test.use({ locale: BROWSER_LOCALE[locale] });

    test('shows the localized error and does not redirect to the app', async ({ page, pages }) => {
      const account = ACCOUNT_BY_LOCALE[locale];
      const message = messagesFor(locale).signin.invalid_credentials;
      const callbacks: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/demo/callback')) callbacks.push(request.url());
      });

      await page.goto(`/demo/login?ui_locales=${encodeURIComponent(locale)}`);
      const signIn = pages.signIn(locale);
      await signIn.expectShown();

      await signIn.signIn(account.email, `${account.password}-wrong`);
      await signIn.expectError(message, account.email);

      await signIn.signIn(UNKNOWN_EMAIL, account.password);
      await signIn.expectError(message, UNKNOWN_EMAIL);

      expect(callbacks, 'no authorization response reached the app').toEqual([]);

      // The same interaction still completes with the right password.
      await signIn.signIn(account.email, account.password);
      await pages.demo(locale).expectSignedIn(account);
    });
  });
}

import { expect, test } from './fixtures';
import { ACCOUNTS, type E2eAccount } from './support/accounts';
import { BROWSER_LOCALE, LOCALES, type Locale } from './support/messages';

/**
 * Sign in to the demo app in each language: the sign-in page speaks the language the app
 * asked for (ui_locales) or the browser prefers, and the app receives an ID token with the
 * account's email and region. The language switcher works in the middle of the flow.
 */

const accountFor = (locale: Locale): E2eAccount => (locale === 'zh-TW' ? ACCOUNTS.meiling : ACCOUNTS.hanako);

function expectClaimsOf(claims: Record<string, unknown>, account: E2eAccount, baseURL: string) {
  expect(claims).toMatchObject({
    iss: `${baseURL}/oidc`,
    email: account.email,
    country_region_code: account.region,
  });
  expect(typeof claims.sub).toBe('string');
  expect([claims.aud].flat()).toContain('demo-web');
}

for (const locale of LOCALES) {
  test.describe(`sign in to the demo app in ${locale}`, () => {
    test.describe('from a browser that prefers it', () => {
      test.use({ locale: BROWSER_LOCALE[locale] });

      test('via the "Sign in with Meridian ID" link', async ({ pages, baseURL }) => {
        const account = accountFor(locale);
        const demo = pages.demo(locale);
        await demo.goto();
        await demo.expectSignedOut();
        await demo.startSignIn();

        const signIn = pages.signIn(locale);
        await signIn.expectShown();
        await signIn.signIn(account.email, account.password);

        expectClaimsOf(await demo.expectSignedIn(account), account, baseURL!);
      });
    });

    test(`when the app asks for it with ui_locales=${locale} (English browser)`, async ({ page, pages, baseURL }) => {
      const account = accountFor(locale);
      await page.goto(`/demo/login?ui_locales=${encodeURIComponent(locale)}`);

      const signIn = pages.signIn(locale);
      await signIn.expectShown();
      await signIn.signIn(account.email, account.password);

      // ui_locales belongs to that one request; the app itself follows the browser (English).
      expectClaimsOf(await pages.demo('en').expectSignedIn(account), account, baseURL!);
    });
  });
}

test.describe('language switcher on the sign-in page', () => {
  test('switches English to Japanese mid-flow and the sign-in still completes', async ({ page, pages, baseURL }) => {
    const account = ACCOUNTS.hanako;
    const demo = pages.demo('en');
    await demo.goto();
    await demo.expectSignedOut();
    await demo.startSignIn();

    const english = pages.signIn('en');
    await english.expectShown();
    const interactionPath = new URL(page.url()).pathname;

    const japanese = await english.switchLanguage('ja');
    await japanese.expectShown();
    expect(new URL(page.url()).pathname, 'the same interaction continues').toBe(interactionPath);
    await japanese.signIn(account.email, account.password);

    // The choice is remembered, so the app is now in Japanese too.
    expectClaimsOf(await pages.demo('ja').expectSignedIn(account), account, baseURL!);
  });

  test('overrides the app’s ui_locales=ja with Traditional Chinese and the sign-in still completes', async ({ page, pages, baseURL }) => {
    const account = ACCOUNTS.meiling;
    await page.goto('/demo/login?ui_locales=ja');

    const japanese = pages.signIn('ja');
    await japanese.expectShown();
    const interactionPath = new URL(page.url()).pathname;

    const chinese = await japanese.switchLanguage('zh-TW');
    await chinese.expectShown();
    expect(new URL(page.url()).pathname, 'the same interaction continues').toBe(interactionPath);
    await chinese.signIn(account.email, account.password);

    expectClaimsOf(await pages.demo('zh-TW').expectSignedIn(account), account, baseURL!);
  });
});

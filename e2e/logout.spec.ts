import { expect, test } from './fixtures';
import { ACCOUNTS } from './support/accounts';
import { BROWSER_LOCALE, LOCALES } from './support/messages';

/**
 * Signing out of the demo app is RP-initiated logout: Meridian ID asks for confirmation in the
 * person's language, ends its own session and returns to /demo. Because the Meridian ID
 * session is gone, the next sign-in asks for the password again (without logout it would not).
 */

for (const locale of LOCALES) {
  test.describe(`logout in ${locale}`, () => {
    test.use({ locale: BROWSER_LOCALE[locale] });

    test('confirms on Meridian ID, returns to the app signed out, and the next sign-in asks for the password', async ({ pages }) => {
      const account = locale === 'zh-TW' ? ACCOUNTS.meiling : ACCOUNTS.hanako;
      const demo = pages.demo(locale);
      const signIn = pages.signIn(locale);

      await demo.goto();
      await demo.startSignIn();
      await signIn.expectShown();
      await signIn.signIn(account.email, account.password);
      await demo.expectSignedIn(account);

      await demo.signOut();
      const logout = pages.logout(locale);
      await logout.expectShown();
      await logout.confirm();

      await demo.expectSignedOut();

      await demo.startSignIn();
      await signIn.expectShown();
      await expect(signIn.password).toHaveValue('');
      await signIn.signIn(account.email, account.password);
      await demo.expectSignedIn(account);
    });
  });
}

test('without logout, a new sign-in reuses the Meridian ID session (no password asked)', async ({ page, pages }) => {
  const account = ACCOUNTS.hanako;
  const demo = pages.demo('en');
  const signIn = pages.signIn('en');
  await demo.goto();
  await demo.startSignIn();
  await signIn.expectShown();
  await signIn.signIn(account.email, account.password);
  await demo.expectSignedIn(account);

  // Only the app's own session is dropped; Meridian ID still knows the browser.
  await page.context().clearCookies({ name: 'demo_session' });
  const visited: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  await demo.goto();
  await demo.expectSignedOut();
  await demo.startSignIn();
  await demo.expectSignedIn(account);
  expect(visited.filter((p) => p.startsWith('/interaction/')), 'no sign-in page was shown').toEqual([]);
});

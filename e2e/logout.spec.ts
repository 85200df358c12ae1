import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO_CLIENT_ID } from './support/demo-client';
import { ACCOUNTS } from './support/accounts';
import { BROWSER_LOCALE, LOCALES } from './support/messages';

/**
 * Signing out of the demo app is RP-initiated logout with an id_token_hint. The demo app is first
 * party, so Meridian ID ends its session at once (no second question) and returns to /demo;
 * because the Meridian ID session is gone, the next sign-in asks for the password again. A logout
 * request that does not name the session (no id_token_hint) still asks, in the person's language.
 */

/** Paths of the pages the browser showed (303 hops are not shown, so they are not listed). */
function shownPaths(page: Page): string[] {
  const shown: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) shown.push(new URL(frame.url()).pathname);
  });
  return shown;
}

for (const locale of LOCALES) {
  test.describe(`logout in ${locale}`, () => {
    test.use({ locale: BROWSER_LOCALE[locale] });

    test('returns to the app signed out without a confirmation page, and the next sign-in asks for the password', async ({ page, pages }) => {
      const account = locale === 'zh-TW' ? ACCOUNTS.meiling : ACCOUNTS.hanako;
      const demo = pages.demo(locale);
      const signIn = pages.signIn(locale);

      await demo.goto();
      await demo.startSignIn();
      await signIn.expectShown();
      await signIn.signIn(account.email, account.password);
      await demo.expectSignedIn(account);

      const shown = shownPaths(page);
      await demo.signOut();
      await demo.expectSignedOut();
      expect(shown.filter((p) => p.startsWith('/oidc/')), 'no Meridian ID page between the app and its signed-out view').toEqual([]);

      await demo.startSignIn();
      await signIn.expectShown();
      await expect(signIn.password).toHaveValue('');
      await signIn.signIn(account.email, account.password);
      await demo.expectSignedIn(account);
    });

    test('a logout request without id_token_hint asks for confirmation in the person\'s language', async ({ page, pages }) => {
      const account = locale === 'zh-TW' ? ACCOUNTS.meiling : ACCOUNTS.hanako;
      const demo = pages.demo(locale);
      const signIn = pages.signIn(locale);
      await demo.goto();
      await demo.startSignIn();
      await signIn.expectShown();
      await signIn.signIn(account.email, account.password);
      await demo.expectSignedIn(account);

      await page.goto(`/oidc/session/end?client_id=${DEMO_CLIENT_ID}`);
      const logout = pages.logout(locale);
      await logout.expectShown();
      await logout.confirm();
      await expect(page).toHaveURL(/\/oidc\/session\/end\/success$/);

      // The Meridian ID session is gone: the app's next sign-in asks for the password.
      await page.context().clearCookies({ name: 'demo_session' });
      await demo.goto();
      await demo.startSignIn();
      await signIn.expectShown();
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

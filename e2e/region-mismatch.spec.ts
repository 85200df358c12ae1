import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';
import { INTERACTION_URL } from './pages/sign-in-page';
import { ACCOUNTS } from './support/accounts';
import { BROWSER_LOCALE, messagesFor, translatorFor, type Locale } from './support/messages';

/**
 * demo-tw-hk serves Taiwan and Hong Kong only. A Japanese account signing in there gets no
 * code: the browser returns to the app's redirect_uri with error=region_mismatch, a
 * description in the person's language, the app's state, the issuer and account_region=JP —
 * also when Meridian ID already knows the browser (no sign-in page then).
 */

const CLIENT_ID = 'demo-tw-hk';
const CLIENT_NAME = 'Meridian demo Taiwan & Hong Kong app';
const callbackUrl = (baseURL: string) => `${baseURL}/demo/tw-hk/callback`;

function authorizationUrl(baseURL: string, extra: Record<string, string> = {}) {
  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${baseURL}/oidc/auth`);
  const params = {
    client_id: CLIENT_ID,
    redirect_uri: callbackUrl(baseURL),
    response_type: 'code',
    scope: 'openid email',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url: url.href, state };
}

const regionNames: Record<Locale, { JP: string; TW: string }> = { en: { JP: 'Japan', TW: 'Taiwan' }, ja: { JP: '日本', TW: '台湾' }, 'zh-TW': { JP: '日本', TW: '台灣' } };

for (const locale of ['en', 'ja'] as const) {
  test.describe(`region mismatch in ${locale}`, () => {
    test.use({ locale: BROWSER_LOCALE[locale] });

    test('a JP account signing in to a TW/HK-only app comes back with error=region_mismatch and account_region=JP', async ({ page, pages, baseURL, a11y }) => {
      const account = ACCOUNTS.hanako;
      const { url, state } = authorizationUrl(baseURL!);
      await page.goto(url);

      const signIn = pages.signIn(locale);
      await expect(page).toHaveURL(INTERACTION_URL);
      await expect(signIn.heading).toBeVisible();
      await expect(page.getByText(translatorFor(locale)('signin.subtitle', { client: CLIENT_NAME }), { exact: true })).toBeVisible();
      await a11y.check(`sign-in page for ${CLIENT_ID} (${locale})`);

      const back = page.waitForRequest((r) => r.url().startsWith(callbackUrl(baseURL!)));
      await signIn.email.fill(account.email);
      await signIn.password.fill(account.password);
      await signIn.submit.click();

      const callback = new URL((await back).url());
      expect(Object.fromEntries(callback.searchParams)).toEqual({
        error: 'region_mismatch',
        error_description: translatorFor(locale)('regionAccess.mismatch', { client: CLIENT_NAME, accountRegion: regionNames[locale].JP }),
        state,
        iss: `${baseURL}/oidc`,
        account_region: 'JP',
      });
      await expect(page).toHaveURL((u) => u.href.startsWith(callbackUrl(baseURL!)));
    });
  });
}

test('with an SSO session and a region hint: no sign-in page, and the app is told to switch to JP', async ({ page, pages, baseURL }) => {
  const account = ACCOUNTS.hanako;
  // Signed in to Meridian ID through the demo web app, which serves JP.
  const demo = pages.demo('en');
  await demo.goto();
  await demo.startSignIn();
  const signIn = pages.signIn('en');
  await signIn.expectShown();
  await signIn.signIn(account.email, account.password);
  await demo.expectSignedIn(account);

  const pagesSeen: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) pagesSeen.push(frame.url());
  });
  const { url, state } = authorizationUrl(baseURL!, { region: 'TW' });
  const back = page.waitForRequest((r) => r.url().startsWith(callbackUrl(baseURL!)));
  await page.goto(url);

  const callback = new URL((await back).url());
  expect(Object.fromEntries(callback.searchParams)).toEqual({
    error: 'region_mismatch',
    error_description: translatorFor('en')('regionAccess.switch', { client: CLIENT_NAME, accountRegion: 'Japan', requestedRegion: 'Taiwan' }),
    state,
    iss: `${baseURL}/oidc`,
    account_region: 'JP',
    requested_region: 'TW',
  });
  // Meridian ID showed nothing in between: no sign-in form was ever rendered.
  expect(pagesSeen.filter((u) => INTERACTION_URL.test(u))).toEqual([]);
  await expect(page.getByLabel(messagesFor('en').signin.password, { exact: true })).toHaveCount(0);
});

import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';
import { SignInMethods } from './pages/sign-in-methods';
import { ACCOUNTS } from './support/accounts';
import { BROWSER_LOCALE } from './support/messages';

/**
 * The sign-in page offers the sign-in methods of one region (signin_methods in idp.config.yaml):
 * LINE only in Japan, Google everywhere, password everywhere. The region is the person's choice
 * (picker, remembered in a cookie), else the app's `region` parameter, else the app's only
 * region, else the first configured region the app serves (JP for the demo app).
 */

/** An authorization request of the demo mobile app (public client, PKCE) with extra parameters. */
function nativeAuthorizationUrl(baseURL: string, extra: Record<string, string>): string {
  const url = new URL(`${baseURL}/oidc/auth`);
  const verifier = randomBytes(32).toString('base64url');
  const params = {
    client_id: 'demo-native',
    redirect_uri: 'com.meridian.demo:/oauth2redirect',
    response_type: 'code',
    scope: 'openid email',
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

test.describe('in English', () => {
  test('the demo app shows Japan’s methods by default; choosing Taiwan drops LINE, is remembered, and password sign-in still works', async ({ page, pages, a11y, baseURL }) => {
    const demo = pages.demo('en');
    await demo.goto();
    await demo.startSignIn();
    const signIn = pages.signIn('en');
    await signIn.expectShown();

    const methods = new SignInMethods(page, a11y, 'en');
    await methods.expectRegion('JP');
    await methods.expectSocialProviders(['line', 'google'], 'Japan');
    await expect(methods.socialButton('line')).toHaveText('Continue with LINE');

    await methods.chooseRegion('TW');
    await signIn.expectShown();
    await methods.expectRegion('TW');
    await methods.expectSocialProviders(['google'], 'Taiwan');

    // A new sign-in in the same browser keeps the choice.
    await page.goto('/demo/login');
    await signIn.expectShown();
    await methods.expectRegion('TW');
    await methods.expectSocialProviders(['google'], 'Taiwan');

    await signIn.signIn(ACCOUNTS.meiling.email, ACCOUNTS.meiling.password);
    const claims = await demo.expectSignedIn(ACCOUNTS.meiling);
    expect(claims).toMatchObject({ iss: `${baseURL}/oidc`, email: ACCOUNTS.meiling.email, country_region_code: 'TW' });
  });
});

test.describe('with the app’s region parameter, in Japanese', () => {
  test.use({ locale: BROWSER_LOCALE.ja });

  test('region=JP shows LINE and Google; region=TW shows Google only', async ({ page, pages, a11y, baseURL }) => {
    const signIn = pages.signIn('ja');
    const methods = new SignInMethods(page, a11y, 'ja');

    await page.goto(nativeAuthorizationUrl(baseURL!, { region: 'JP' }));
    await expect(signIn.heading).toBeVisible();
    await expect(signIn.password).toBeVisible();
    await methods.expectRegion('JP');
    await methods.expectSocialProviders(['line', 'google'], 'Japan');
    await expect(methods.socialButton('line')).toHaveText('LINEで続ける');

    await page.goto(nativeAuthorizationUrl(baseURL!, { region: 'TW' }));
    await expect(signIn.heading).toBeVisible();
    await expect(signIn.password).toBeVisible();
    await methods.expectRegion('TW');
    await methods.expectSocialProviders(['google'], 'Taiwan');
  });
});

test.describe('in Traditional Chinese', () => {
  test.use({ locale: BROWSER_LOCALE['zh-TW'] });

  test('the person’s choice outranks the app’s region parameter', async ({ page, pages, a11y, baseURL }) => {
    const signIn = pages.signIn('zh-TW');
    const methods = new SignInMethods(page, a11y, 'zh-TW');

    await page.goto(nativeAuthorizationUrl(baseURL!, { region: 'TW' }));
    await expect(signIn.heading).toBeVisible();
    await methods.expectRegion('TW');
    await methods.expectSocialProviders(['google'], 'Taiwan');
    await expect(methods.socialButton('google')).toHaveText('使用 Google 繼續');

    await methods.chooseRegion('JP');
    await expect(signIn.heading).toBeVisible();
    await methods.expectRegion('JP');
    await methods.expectSocialProviders(['line', 'google'], 'Japan');

    await page.goto(nativeAuthorizationUrl(baseURL!, { region: 'TW' }));
    await methods.expectRegion('JP');
  });
});

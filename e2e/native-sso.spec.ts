import { createHash, randomBytes } from 'node:crypto';
import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { INTERACTION_URL, SignInPage } from './pages/sign-in-page';
import { AccessibilityChecker } from './support/accessibility';
import { ACCOUNTS } from './support/accounts';
import { messagesFor } from './support/messages';

/**
 * A native app (RFC 8252) opens Meridian ID in the system browser (ASWebAuthenticationSession,
 * Custom Tabs), which shares cookies with the web: the demo-native public client signs in with
 * a custom-scheme redirect and PKCE, redeems its code without a secret, and the demo web app
 * then signs in without a password. The redirect to com.meridian.demo: cannot load in a
 * browser, so the journey catches the request (as the OS would hand it to the app) and closes
 * that tab, as the authentication session closes when the app takes over.
 */

const NATIVE_REDIRECT = 'com.meridian.demo:/oauth2redirect';

function nativeAuthorization(baseURL: string) {
  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${baseURL}/oidc/auth`);
  const params = {
    client_id: 'demo-native',
    redirect_uri: NATIVE_REDIRECT,
    response_type: 'code',
    scope: 'openid email offline_access',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url: url.href, state, verifier };
}

/** The request the browser makes for the app's redirect: what the OS would hand to the app. */
function appRedirect(page: Page): Promise<Request> {
  return page.waitForRequest((r) => r.url().startsWith(NATIVE_REDIRECT));
}

test('the app signs in with a custom-scheme redirect and PKCE; the web app then signs in without a password', async ({ page, pages, baseURL, request, context }, testInfo) => {
  const account = ACCOUNTS.hanako;
  const m = messagesFor('en');
  const native = nativeAuthorization(baseURL!);
  // The app's authentication session: a tab of the same browser (cookies are shared).
  const authTab = await context.newPage();
  await authTab.goto(native.url);

  const tabA11y = new AccessibilityChecker(authTab, testInfo);
  const signIn = new SignInPage(authTab, tabA11y, 'en');
  await expect(authTab).toHaveURL(INTERACTION_URL);
  await expect(authTab.getByText('to continue to Meridian demo mobile app', { exact: true })).toBeVisible();
  await tabA11y.check('sign-in page for demo-native (en)');
  const toApp = appRedirect(authTab);
  await signIn.email.fill(account.email);
  await signIn.password.fill(account.password);
  await signIn.submit.click();

  const callback = new URL((await toApp).url());
  await authTab.close();
  expect(callback.searchParams.get('state')).toBe(native.state);
  expect(callback.searchParams.get('iss')).toBe(`${baseURL}/oidc`);
  const code = callback.searchParams.get('code');
  expect(code).toEqual(expect.any(String));

  // The app redeems the code: public client, no secret, the PKCE verifier.
  const token = await request.post(`${baseURL}/oidc/token`, {
    form: { grant_type: 'authorization_code', client_id: 'demo-native', code: code!, redirect_uri: NATIVE_REDIRECT, code_verifier: native.verifier },
  });
  expect(token.status()).toBe(200);
  const tokens = (await token.json()) as { id_token: string; access_token: string; refresh_token?: string };
  const idClaims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  expect(idClaims).toMatchObject({ aud: 'demo-native', email: account.email, country_region_code: 'JP' });

  // The same browser session: the web app signs in without the sign-in page.
  const seen: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(frame.url());
  });
  const demo = pages.demo('en');
  await demo.goto();
  await demo.expectSignedOut();
  await demo.startSignIn();
  const webClaims = await demo.expectSignedIn(account);
  expect(webClaims.sub).toBe(idClaims.sub);
  expect(seen.filter((u) => INTERACTION_URL.test(u))).toEqual([]);
  await expect(page.getByLabel(m.signin.password, { exact: true })).toHaveCount(0);
});

test('and the reverse: signed in on the web, the app gets its code after one "Continue", without a password', async ({ page, pages, baseURL, a11y }) => {
  const account = ACCOUNTS.meiling;
  const m = messagesFor('en');
  const demo = pages.demo('en');
  await demo.goto();
  await demo.startSignIn();
  const signIn = pages.signIn('en');
  await signIn.expectShown();
  await signIn.signIn(account.email, account.password);
  await demo.expectSignedIn(account);

  // A custom scheme does not prove which app asks (RFC 8252 §8.6): confirm, never a password.
  const native = nativeAuthorization(baseURL!);
  await page.goto(native.url);
  await expect(page).toHaveURL(INTERACTION_URL);
  await expect(page.getByLabel(m.signin.password, { exact: true })).toHaveCount(0);
  const proceed = page.getByRole('button', { name: m.consent.continue, exact: true });
  await expect(proceed).toBeVisible();
  await a11y.check('native app confirmation (en)');

  const toApp = appRedirect(page);
  await proceed.click();
  const callback = new URL((await toApp).url());
  expect(callback.searchParams.get('state')).toBe(native.state);
  expect(callback.searchParams.get('code')).toEqual(expect.any(String));
});

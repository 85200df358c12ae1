import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, expectPage, expectRedirect, type Landing } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { buttons, findInput, visibleText } from './_support/html';
import { authorizationRequest, baseUrl, exchangeCode, issuer, jose, relyingParty, serverJwks, submitConsent, submitSignIn } from './_support/oidc';

/**
 * Native apps (RFC 8252) with the public client demo-native: its three kinds of redirect URI,
 * PKCE, no secret, and one browser session shared with the web clients (SSO both ways).
 *
 * RFC 8252 §8.6: a private-use scheme or a loopback port can be taken by another app, so such
 * a request is never answered silently: after a sign-in it goes straight back, but with only an
 * SSO session the person confirms once ("Continue", never a password). A claimed https
 * redirect proves the app and always goes straight back.
 */

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('native', { region: 'HK' });
});

async function nativeRequest(redirectUri: string) {
  const config = await relyingParty('demoNative');
  const pending = await authorizationRequest(config, 'demoNative', { redirect_uri: redirectUri });
  return { config, pending: { ...pending, redirectUri } };
}

const isSignInPage = (landing: Landing) => landing.kind === 'page' && findInput(landing.html, 'password') !== undefined;
const isConfirmPage = (landing: Landing) => landing.kind === 'page' && buttons(landing.html).some((b) => b.name === 'decision' && b.value === 'allow');

/** Through the sign-in page if one is shown, and the confirmation if one is shown; returns what each step showed. */
async function completeNative(browser: Browser, pending: { url: URL; redirectUri: string }) {
  let landing = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
  const signedIn = isSignInPage(landing);
  if (signedIn) landing = await submitSignIn(browser, landing, account, pending.redirectUri);
  const confirmed = isConfirmPage(landing);
  if (confirmed) {
    // A confirmation naming the app, never a password field.
    expect(visibleText(expectPage(landing).html)).toContain('Meridian demo mobile app');
    expect(findInput(expectPage(landing).html, 'password')).toBeUndefined();
    landing = await submitConsent(browser, landing, 'allow', pending.redirectUri);
  }
  return { callback: expectRedirect(landing, `the redirect to ${pending.redirectUri}`).location, signInShown: signedIn, confirmShown: confirmed };
}

describe('native redirect URIs', () => {
  it('loopback: http://127.0.0.1 with whatever port the app listens on (RFC 8252 §7.3)', async () => {
    const browser = new Browser(baseUrl());
    for (const [port, expected] of [
      [49152, { signInShown: true, confirmShown: false }],
      // SSO now: a loopback redirect does not prove the app, so the person confirms.
      [61234, { signInShown: false, confirmShown: true }],
    ] as const) {
      const { config, pending } = await nativeRequest(`http://127.0.0.1:${port}/oauth2redirect`);
      const { callback, signInShown, confirmShown } = await completeNative(browser, pending);
      expect({ signInShown, confirmShown }).toEqual(expected);
      expect(`${callback.origin}${callback.pathname}`).toBe(`http://127.0.0.1:${port}/oauth2redirect`);
      expect(callback.searchParams.get('iss')).toBe(issuer());
      const tokens = await exchangeCode(config, callback, pending);
      expect(tokens.claims()?.sub).toBe(account.id);
    }
  });

  it('claimed https (a universal / app link): no confirmation, even on the first sign-in', async () => {
    const browser = new Browser(baseUrl());
    const { config, pending } = await nativeRequest('https://app.meridian.example/oauth2redirect');
    const { callback, signInShown, confirmShown } = await completeNative(browser, pending);
    expect({ signInShown, confirmShown }).toEqual({ signInShown: true, confirmShown: false });
    expect(`${callback.origin}${callback.pathname}`).toBe('https://app.meridian.example/oauth2redirect');
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()?.aud).toBe('demo-native');

    // With the session, the app link comes straight back.
    const again = await nativeRequest('https://app.meridian.example/oauth2redirect');
    const landing = expectRedirect(await browser.navigate(again.pending.url, { stopAt: again.pending.redirectUri }));
    expect(landing.location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('refuses an unregistered loopback host (localhost is not 127.0.0.1) and a plain-PKCE request', async () => {
    const browser = new Browser(baseUrl());
    const { pending } = await nativeRequest('http://localhost:49152/oauth2redirect');
    const page = expectPage(await browser.navigate(pending.url), 'an error page');
    expect(page.status).toBe(400);
    expect(visibleText(page.html)).toContain('invalid_redirect_uri');

    const plain = await nativeRequest('com.meridian.demo:/oauth2redirect');
    const url = new URL(plain.pending.url);
    url.searchParams.set('code_challenge', plain.pending.verifier);
    url.searchParams.set('code_challenge_method', 'plain');
    const landing = expectRedirect(await browser.navigate(url), 'an error redirect');
    expect(landing.location.searchParams.get('error')).toBe('invalid_request');
    expect(landing.location.searchParams.has('code')).toBe(false);
  });
});

describe('single sign-on between the native app and the web', () => {
  it('signing in in the app (custom scheme) signs in on the web: no password for demo-web', async () => {
    const browser = new Browser(baseUrl());
    const { config, pending } = await nativeRequest('com.meridian.demo:/oauth2redirect');
    const { callback, signInShown, confirmShown } = await completeNative(browser, pending);
    expect({ signInShown, confirmShown }).toEqual({ signInShown: true, confirmShown: false });
    expect(callback.protocol).toBe('com.meridian.demo:');
    const nativeTokens = await exchangeCode(config, callback, pending);

    const web = await relyingParty('demoWeb');
    const webPending = await authorizationRequest(web, 'demoWeb');
    const landing = expectRedirect(await browser.navigate(webPending.url, { stopAt: webPending.redirectUri }), 'a code without any page');
    expect(landing.visited.some((u) => u.pathname.startsWith('/interaction/'))).toBe(false);
    const webTokens = await exchangeCode(web, landing.location, webPending);
    const [n, w] = await Promise.all([
      jose.jwtVerify(nativeTokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-native' }),
      jose.jwtVerify(webTokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-web' }),
    ]);
    expect(w.payload.sub).toBe(n.payload.sub);
    expect(w.payload.sid, 'one Meridian session').toBe(n.payload.sid);
    expect(w.payload.auth_time).toBe(n.payload.auth_time);
  });

  it('and the reverse: signed in on the web, the app gets its code with one confirmation, no password', async () => {
    const browser = new Browser(baseUrl());
    const web = await relyingParty('demoWeb');
    const webPending = await authorizationRequest(web, 'demoWeb');
    const signInPage = await browser.navigate(webPending.url, { stopAt: webPending.redirectUri });
    await exchangeCode(web, expectRedirect(await submitSignIn(browser, signInPage, account, webPending.redirectUri)).location, webPending);

    const { config, pending } = await nativeRequest('com.meridian.demo:/oauth2redirect');
    const { callback, signInShown, confirmShown } = await completeNative(browser, pending);
    expect({ signInShown, confirmShown }).toEqual({ signInShown: false, confirmShown: true });
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()?.sub).toBe(account.id);
    expect(tokens.refresh_token, 'a first-party app gets a refresh token').toEqual(expect.any(String));
  });
});

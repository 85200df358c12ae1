import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccounts, type TestAccount } from './_support/cli';
import { buttons, visibleText } from './_support/html';
import { serverDb } from './_support/signup';
import {
  ACR_AAL1,
  CLIENTS,
  authorizationRequest,
  baseUrl,
  client,
  computeAtHash,
  exchangeCode,
  issuer,
  jose,
  oauthError,
  relyingParty,
  serverJwks,
  signInAndGetCallback,
  submitConsent,
  submitSignIn,
} from './_support/oidc';

let alice: TestAccount;
let bob: TestAccount;
let carol: TestAccount;

beforeAll(async () => {
  [alice, bob, carol] = await createAccounts('code-web', 'code-native', 'code-partner');
});

afterAll(async () => {
  await serverDb().$disconnect();
});

describe('authorization code + PKCE, confidential first-party client (demo-web)', () => {
  it('issues a verifiable ID token with our claims, and userinfo for the same subject', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const browser = new Browser(baseUrl());
    const startedAt = Math.floor(Date.now() / 1000);

    const callback = await signInAndGetCallback(browser, pending, alice);

    // RFC 9207: the authorization response names its issuer; state comes back untouched.
    expect(callback.origin + callback.pathname).toBe(pending.redirectUri);
    expect(callback.searchParams.get('iss')).toBe(issuer());
    expect(callback.searchParams.get('state')).toBe(pending.state);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    // A first-party client never sees the consent page: one interaction page (sign-in), then back.
    expect(browser.history.filter((u) => /^\/interaction\/[^/]+$/.test(u.pathname))).toHaveLength(1);

    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.id_token).toEqual(expect.any(String));
    expect(tokens.access_token).toEqual(expect.any(String));

    // Signature against the published JWKS, issuer and audience.
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-web' });
    // RS256: demo-web registers no id_token_signed_response_alg (the OIDC default).
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload.nonce).toBe(pending.nonce);
    // Soft: one run reports every claim that is off, not only the first.
    expect.soft(payload.at_hash, 'at_hash').toBe(computeAtHash(tokens.access_token, protectedHeader.alg));
    expect.soft(payload).toMatchObject({
      sub: alice.id,
      email: alice.email,
      email_verified: true,
      locale: 'ja',
      country_region_code: 'JP',
      acr: ACR_AAL1,
      amr: ['pwd'],
      auth_time: expect.any(Number),
    });
    expect.soft(Number(payload.auth_time)).toBeGreaterThanOrEqual(startedAt - 1);
    expect.soft(Number(payload.auth_time)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, payload.sub!);
    expect(userinfo.sub).toBe(payload.sub);
    expect(userinfo).toMatchObject({ email: alice.email, email_verified: true, country_region_code: 'JP', locale: 'ja' });
  });

  it('refuses the code when the PKCE verifier does not match the challenge', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, alice);
    const err = await oauthError(() => exchangeCode(config, callback, { ...pending, verifier: client.randomPKCECodeVerifier() }));
    expect(err.error).toBe('invalid_grant');
  });

  it('answers through PAR too: a pushed request yields a request_uri that completes the flow', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const parUrl = await client.buildAuthorizationUrlWithPAR(config, Object.fromEntries(pending.url.searchParams));
    expect(parUrl.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const callback = await signInAndGetCallback(new Browser(baseUrl()), { ...pending, url: parUrl }, alice);
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()?.sub).toBe(alice.id);
  });

  it('gives the name a person entered at sign-up to apps that ask for the profile scope, and no name otherwise', async () => {
    // The profile_name step (e.g. Hong Kong) stores it; an account without one has no name claim.
    await serverDb().account.update({ where: { id: bob.id }, data: { name: '陳大文' } });
    const config = await relyingParty('demoWeb');
    for (const [scope, expected] of [
      ['openid email profile', '陳大文'],
      ['openid email', undefined],
    ] as const) {
      const pending = await authorizationRequest(config, 'demoWeb', { scope });
      const tokens = await exchangeCode(config, await signInAndGetCallback(new Browser(baseUrl()), pending, bob), pending);
      expect(tokens.claims()?.name).toBe(expected);
      expect((await client.fetchUserInfo(config, tokens.access_token, bob.id)).name).toBe(expected);
    }
    const pending = await authorizationRequest(config, 'demoWeb');
    const tokens = await exchangeCode(config, await signInAndGetCallback(new Browser(baseUrl()), pending, alice), pending);
    expect(tokens.claims()).not.toHaveProperty('name');
  });
});

describe('native public client (demo-native)', () => {
  it('completes code + PKCE with the custom-scheme redirect and no client secret', async () => {
    const config = await relyingParty('demoNative');
    const pending = await authorizationRequest(config, 'demoNative');
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, bob);

    expect(callback.protocol).toBe('com.meridian.demo:');
    expect(`${callback.protocol}${callback.pathname}`).toBe('com.meridian.demo:/oauth2redirect');
    expect(callback.searchParams.get('iss')).toBe(issuer());
    expect(callback.searchParams.get('state')).toBe(pending.state);

    const tokens = await exchangeCode(config, callback, pending);
    const { payload } = await jose.jwtVerify(tokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-native' });
    expect(payload.sub).toBe(bob.id);
    expect(payload.nonce).toBe(pending.nonce);
  });

  it('without code_challenge: an error redirect (invalid_request), no code, no sign-in page', async () => {
    const config = await relyingParty('demoNative');
    const pending = await authorizationRequest(config, 'demoNative', {}, { pkce: false });
    expect(pending.url.searchParams.has('code_challenge')).toBe(false);
    const browser = new Browser(baseUrl());

    const landing = expectRedirect(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'an error redirect');

    expect(`${landing.location.protocol}${landing.location.pathname}`).toBe('com.meridian.demo:/oauth2redirect');
    expect(landing.location.searchParams.get('error')).toBe('invalid_request');
    expect(landing.location.searchParams.get('state')).toBe(pending.state);
    expect(landing.location.searchParams.get('iss')).toBe(issuer());
    expect(landing.location.searchParams.has('code')).toBe(false);
    expect(browser.history.some((u) => u.pathname.startsWith('/interaction/'))).toBe(false);
  });
});

describe('third-party client (partner-app)', () => {
  it('asks for consent after sign-in; allowing it completes the flow', async () => {
    const config = await relyingParty('partnerApp');
    const pending = await authorizationRequest(config, 'partnerApp');
    const browser = new Browser(baseUrl());

    const signInPage = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
    const consentPage = expectPage(await submitSignIn(browser, signInPage, carol, pending.redirectUri), 'the consent page');

    expect(consentPage.status).toBe(200);
    const text = visibleText(consentPage.html);
    expect(text).toContain('Allow access');
    expect(text).toContain('Partner travel app wants to access your Meridian ID account.');
    expect(text).toContain('See your email address');
    expect(buttons(consentPage.html)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'decision', value: 'allow', text: 'Allow' }), expect.objectContaining({ name: 'decision', value: 'deny' })]),
    );

    const callback = expectRedirect(await submitConsent(browser, consentPage, 'allow', pending.redirectUri), 'the redirect to partner-app').location;
    expect(callback.origin + callback.pathname).toBe(CLIENTS.partnerApp().redirectUri);
    expect(callback.searchParams.get('iss')).toBe(issuer());
    const tokens = await exchangeCode(config, callback, pending);
    const { payload } = await jose.jwtVerify(tokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'partner-app' });
    expect(payload.sub).toBe(carol.id);
    expect(payload.email).toBe(carol.email);

    // Consent is remembered: the next authorization in this session goes straight back.
    const again = await authorizationRequest(config, 'partnerApp');
    const second = expectRedirect(await browser.navigate(again.url, { stopAt: again.redirectUri }), 'a redirect without consent');
    expect(second.location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('denying consent sends access_denied back to the client', async () => {
    const config = await relyingParty('partnerApp');
    const pending = await authorizationRequest(config, 'partnerApp');
    const browser = new Browser(baseUrl());
    const signInPage = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
    const consentPage = await submitSignIn(browser, signInPage, { email: carol.email, password: carol.password }, pending.redirectUri);
    const landing = expectRedirect(await submitConsent(browser, consentPage, 'deny', pending.redirectUri), 'an error redirect');
    expect(landing.location.searchParams.get('error')).toBe('access_denied');
    expect(landing.location.searchParams.get('state')).toBe(pending.state);
    expect(landing.location.searchParams.has('code')).toBe(false);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startServer, type RunningServer } from '../support/server-process';
import { Browser, expectPage, expectRedirect, type Landing } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { forms, inputs } from './_support/html';
import { authorizationRequest, baseUrl, client, exchangeCode, issuer, relyingParty, signInAndGetCallback, submitSignIn } from './_support/oidc';

/**
 * Region control at the authorization server: demo-tw-hk serves TW and HK only. A JP account
 * gets no code there, with or without an SSO session, but a redirect to the client's
 * redirect_uri with error=region_mismatch, a localized error_description, state, iss and
 * account_region (plus requested_region when the app's `region` hint differs). At the token
 * endpoint a client that no longer serves the account's region gets invalid_grant.
 */

const TW_HK = {
  id: 'demo-tw-hk',
  secret: 'demo-tw-hk-secret-0123456789',
  name: 'Meridian demo Taiwan & Hong Kong app',
  redirectUri: () => `${baseUrl()}/demo/tw-hk/callback`,
};

async function twHkConfig() {
  return client.discovery(new URL(issuer()), TW_HK.id, { redirect_uris: [TW_HK.redirectUri()] }, client.ClientSecretBasic(TW_HK.secret), {
    execute: [client.allowInsecureRequests],
  });
}

type Pending = { url: URL; state: string; nonce: string; verifier: string; redirectUri: string };

async function twHkRequest(extra: Record<string, string> = {}): Promise<Pending> {
  const config = await twHkConfig();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: TW_HK.redirectUri(),
    scope: 'openid email',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, state, nonce, verifier, redirectUri: TW_HK.redirectUri() };
}

/** The query (or fragment) parameters of the redirect back to the client. */
function callbackParams(landing: Landing, pending: Pending, where: 'query' | 'fragment' = 'query'): Record<string, string> {
  const { location } = expectRedirect(landing, `the redirect to ${pending.redirectUri}`);
  expect(`${location.origin}${location.pathname}`).toBe(pending.redirectUri);
  const params = where === 'query' ? location.searchParams : new URLSearchParams(location.hash.slice(1));
  return Object.fromEntries(params);
}

const mismatchEn = `${TW_HK.name} is not available for accounts registered in Japan.`;

let jp: TestAccount;
let tw: TestAccount;

beforeAll(async () => {
  [jp, tw] = await Promise.all([createAccount('region-jp', { region: 'JP' }), createAccount('region-tw', { region: 'TW' })]);
});

describe('authorization: an account from a region the client does not serve', () => {
  it('signing in: back at the redirect_uri with error=region_mismatch, account_region, state and iss — no code', async () => {
    const pending = await twHkRequest();
    const browser = new Browser(baseUrl());
    const signInPage = expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page');
    expect(signInPage.url.pathname).toMatch(/^\/interaction\//);

    const params = callbackParams(await submitSignIn(browser, signInPage, jp, pending.redirectUri), pending);
    expect(params).toEqual({
      error: 'region_mismatch',
      error_description: mismatchEn,
      state: pending.state,
      iss: issuer(),
      account_region: 'JP',
    });
  });

  it('with an SSO session: no sign-in page, the same answer (the provider stops for the region prompt)', async () => {
    const browser = new Browser(baseUrl());
    // Signed in to Meridian through demo-web (JP is served there).
    const web = await relyingParty('demoWeb');
    const webPending = await authorizationRequest(web, 'demoWeb');
    await exchangeCode(web, await signInAndGetCallback(browser, webPending, jp), webPending);

    const pending = await twHkRequest();
    const landing = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
    const params = callbackParams(landing, pending);
    expect(params).toMatchObject({ error: 'region_mismatch', account_region: 'JP', state: pending.state, iss: issuer() });
    expect(params.code).toBeUndefined();
    // Through our interaction page (which answers at once), never a form.
    expect(landing.visited.some((u) => u.pathname.startsWith('/interaction/'))).toBe(true);
    expect(landing.visited.some((u) => u.pathname.endsWith('/login'))).toBe(false);

    // prompt=none: the provider answers the same error directly, without an interaction.
    const silent = await twHkRequest({ prompt: 'none' });
    const silentLanding = await browser.navigate(silent.url, { stopAt: silent.redirectUri });
    expect(callbackParams(silentLanding, silent)).toEqual({ error: 'region_mismatch', error_description: mismatchEn, state: silent.state, iss: issuer(), account_region: 'JP' });
    expect(silentLanding.visited.some((u) => u.pathname.startsWith('/interaction/'))).toBe(false);

    // The session itself is intact: demo-web still signs in without a password.
    const again = await authorizationRequest(web, 'demoWeb');
    expect(expectRedirect(await browser.navigate(again.url, { stopAt: again.redirectUri })).location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('a region hint that differs from the account’s region: requested_region, and the description says to switch', async () => {
    const pending = await twHkRequest({ region: 'TW' });
    const browser = new Browser(baseUrl());
    const page = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
    const params = callbackParams(await submitSignIn(browser, page, jp, pending.redirectUri), pending);
    expect(params).toEqual({
      error: 'region_mismatch',
      error_description: 'Your account is registered in Japan, but the app asked for Taiwan. Switch the app to Japan to continue.',
      state: pending.state,
      iss: issuer(),
      account_region: 'JP',
      requested_region: 'TW',
    });
  });

  it('localizes error_description: ui_locales, else the browser’s language', async () => {
    const browser = new Browser(baseUrl());
    const first = await twHkRequest({ ui_locales: 'ja' });
    const page = await browser.navigate(first.url, { stopAt: first.redirectUri });
    expect(callbackParams(await submitSignIn(browser, page, jp, first.redirectUri), first).error_description).toBe(
      `${TW_HK.name}は、日本で登録されたアカウントではご利用いただけません。`,
    );
    const zh = await twHkRequest({ region: 'hk' });
    const landing = await browser.navigate(zh.url, { stopAt: zh.redirectUri, headers: { 'accept-language': 'zh-TW,zh;q=0.9' } });
    expect(callbackParams(landing, zh)).toMatchObject({
      error_description: '您的帳戶註冊於日本，但應用程式要求的是香港。請將應用程式切換至日本以繼續。',
      account_region: 'JP',
      requested_region: 'HK',
    });
  });

  it('response_mode=fragment and form_post carry the same parameters', async () => {
    const browser = new Browser(baseUrl());
    const web = await relyingParty('demoWeb');
    const webPending = await authorizationRequest(web, 'demoWeb');
    await signInAndGetCallback(browser, webPending, jp);

    const fragment = await twHkRequest({ response_mode: 'fragment' });
    expect(callbackParams(await browser.navigate(fragment.url, { stopAt: fragment.redirectUri }), fragment, 'fragment')).toMatchObject({
      error: 'region_mismatch',
      account_region: 'JP',
      state: fragment.state,
      iss: issuer(),
    });

    const post = await twHkRequest({ response_mode: 'form_post', region: 'HK' });
    const page = expectPage(await browser.navigate(post.url, { stopAt: post.redirectUri }), 'the form_post page');
    const [form] = forms(page.html);
    expect(form?.action).toBe(post.redirectUri);
    const fields = Object.fromEntries(inputs(page.html).map((i) => [i.name, i.value]));
    expect(fields).toMatchObject({ error: 'region_mismatch', error_description: `Your account is registered in Japan, but the app asked for Hong Kong. Switch the app to Japan to continue.`, account_region: 'JP', requested_region: 'HK', state: post.state, iss: issuer() });
  });

  it('an account from a served region gets its code and tokens', async () => {
    const pending = await twHkRequest({ region: 'TW' });
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, tw);
    expect(callback.searchParams.get('error')).toBeNull();
    const tokens = await client.authorizationCodeGrant(await twHkConfig(), callback, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ sub: tw.id, country_region_code: 'TW', aud: TW_HK.id });
  });

  it('a malformed region hint is invalid_request', async () => {
    const pending = await twHkRequest({ region: 'Taiwan' });
    const params = callbackParams(await new Browser(baseUrl()).navigate(pending.url, { stopAt: pending.redirectUri }), pending);
    expect(params).toMatchObject({ error: 'invalid_request', error_description: 'region must be an ISO 3166-1 alpha-2 code such as JP', state: pending.state });
  });
});

describe('the app\'s region choice at a client that serves every region (demo-web)', () => {
  it('region=TW for a JP account: region_mismatch with account_region and requested_region, no code — signing in or with an SSO session', async () => {
    const web = await relyingParty('demoWeb');
    const browser = new Browser(baseUrl());
    const pending = await authorizationRequest(web, 'demoWeb', { region: 'TW' });
    const page = expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page');
    const params = callbackParams(await submitSignIn(browser, page, jp, pending.redirectUri), pending);
    expect(params).toEqual({
      error: 'region_mismatch',
      error_description: 'Your account is registered in Japan, but the app asked for Taiwan. Switch the app to Japan to continue.',
      state: pending.state,
      iss: issuer(),
      account_region: 'JP',
      requested_region: 'TW',
    });

    // Now signed in: the same answer without a sign-in page, and with prompt=none.
    const again = await authorizationRequest(web, 'demoWeb', { region: 'tw' });
    expect(callbackParams(await browser.navigate(again.url, { stopAt: again.redirectUri }), again)).toMatchObject({ error: 'region_mismatch', account_region: 'JP', requested_region: 'TW' });
    const silent = await authorizationRequest(web, 'demoWeb', { region: 'TW', prompt: 'none' });
    expect(callbackParams(await browser.navigate(silent.url, { stopAt: silent.redirectUri }), silent)).toMatchObject({ error: 'region_mismatch', account_region: 'JP', requested_region: 'TW' });

    // The app switches to JP: a code at once, from the same session; without a region, too.
    for (const extra of [{ region: 'JP' }, {}] as Record<string, string>[]) {
      const switched = await authorizationRequest(web, 'demoWeb', extra);
      const landing = expectRedirect(await browser.navigate(switched.url, { stopAt: switched.redirectUri })).location;
      expect(landing.searchParams.get('error')).toBeNull();
      const tokens = await exchangeCode(web, landing, switched);
      expect(tokens.claims()).toMatchObject({ sub: jp.id, country_region_code: 'JP' });
    }
  });
});

describe('token endpoint: the client no longer serves the account’s region', () => {
  /**
   * A second server on the same database and issuer whose configuration drops JP from
   * demo-web's supported_regions: tokens issued before the change, redeemed after it.
   */
  let narrowed: RunningServer;

  beforeAll(async () => {
    const config = parseYaml(readFileSync(resolve(process.cwd(), 'idp.config.yaml'), 'utf8')) as { clients: { client_id: string; supported_regions: string[] }[] };
    const web = config.clients.find((c) => c.client_id === 'demo-web')!;
    web.supported_regions = ['TW', 'HK', 'US'];
    const path = join(mkdtempSync(join(tmpdir(), 'meridian-region-')), 'idp.config.yaml');
    writeFileSync(path, stringifyYaml(config));
    narrowed = await startServer({ databaseUrl: inject('serverEnv').DATABASE_URL, env: { PUBLIC_URL: baseUrl(), IDP_CONFIG: path } });
  });

  afterAll(async () => {
    await narrowed?.stop();
  });

  async function tokenAt(server: string, params: Record<string, string>) {
    const res = await fetch(`${server}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-web:demo-web-secret-0123456789').toString('base64')}`,
      },
      body: new URLSearchParams(params),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function codeFor(account: TestAccount) {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    return { config, pending, callback: await signInAndGetCallback(new Browser(baseUrl()), pending, account) };
  }

  it('refresh for a JP account → invalid_grant; the refresh token still works where JP is served', async () => {
    const { config, pending, callback } = await codeFor(jp);
    const tokens = await exchangeCode(config, callback, pending);
    const refused = await tokenAt(narrowed.url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(refused).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'the account region is not supported by this client' } });
    // Refused before rotation: the original server (JP served) still accepts the same token.
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toEqual(expect.any(String));
  });

  it('the authorization code of a JP account → invalid_grant', async () => {
    const { pending, callback } = await codeFor(jp);
    const refused = await tokenAt(narrowed.url, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: pending.redirectUri, code_verifier: pending.verifier });
    expect(refused).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'the account region is not supported by this client' } });
  });

  it('a TW account (still served) refreshes normally', async () => {
    const { config, pending, callback } = await codeFor(tw);
    const tokens = await exchangeCode(config, callback, pending);
    const refreshed = await tokenAt(narrowed.url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
  });
});

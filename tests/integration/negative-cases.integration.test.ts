/**
 * The negative cases of the OpenID Connect Basic OP conformance plan, over HTTP: what a
 * relying party (or an attacker) sees when a request is wrong.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { findInput, visibleText } from './_support/html';
import { authorizationRequest, baseUrl, client, exchangeCode, issuer, jose, oauthError, relyingParty, serverJwks, signInAndGetCallback, submitSignIn } from './_support/oidc';

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('negative');
});

/** The provider's error page: HTML 400, no Location (nothing may be sent to an unverified redirect_uri). */
async function expectErrorPage(response: Response, code?: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  const text = visibleText(await response.text());
  expect(text).toContain('Something went wrong');
  if (code) expect(text).toContain(code);
}

describe('authorization code misuse', () => {
  it('a code used twice: invalid_grant, and the tokens from its first use are revoked', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
    const first = await exchangeCode(config, callback, pending);
    expect((await client.tokenIntrospection(config, first.access_token)).active).toBe(true);

    const err = await oauthError(() => exchangeCode(config, callback, pending));
    expect(err.error).toBe('invalid_grant');

    expect((await client.tokenIntrospection(config, first.access_token)).active).toBe(false);
  });

  it('a code redeemed with another redirect_uri than it was issued for: invalid_grant', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
    const other = new URL(callback);
    other.pathname = '/demo/other-callback';
    const err = await oauthError(() => exchangeCode(config, other, pending));
    expect(err.error).toBe('invalid_grant');
  });
});

describe('redirect_uri checks', () => {
  const variants = () => {
    const registered = `${baseUrl()}/demo/callback`;
    return {
      'an unregistered URI': 'https://evil.example/callback',
      'an extra path segment': `${registered}/extra`,
      'a trailing slash': `${registered}/`,
      'an added query': `${registered}?next=https://evil.example`,
      'another host for the same server': registered.replace('localhost', '127.0.0.1'),
      'another scheme': registered.replace('http:', 'https:'),
    };
  };

  it.each(Object.keys(variants()))('%s: error page, no redirect', async (label) => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb', { redirect_uri: variants()[label as keyof ReturnType<typeof variants>] });
    const browser = new Browser(baseUrl());
    const res = await browser.request(pending.url);
    await expectErrorPage(res, 'invalid_redirect_uri');
  });

  it('an unknown client_id: error page, no redirect', async () => {
    const url = new URL(`${issuer()}/auth`);
    url.search = new URLSearchParams({
      client_id: 'no-such-client',
      redirect_uri: `${baseUrl()}/demo/callback`,
      response_type: 'code',
      scope: 'openid',
      state: 'x',
    }).toString();
    await expectErrorPage(await fetch(url, { redirect: 'manual' }), 'invalid_client');
  });
});

describe('PKCE for public clients', () => {
  it('code_challenge_method=plain is refused', async () => {
    const config = await relyingParty('demoNative');
    const pending = await authorizationRequest(config, 'demoNative', {}, { pkce: false });
    pending.url.searchParams.set('code_challenge', pending.verifier);
    pending.url.searchParams.set('code_challenge_method', 'plain');
    const landing = expectRedirect(await new Browser(baseUrl()).navigate(pending.url, { stopAt: pending.redirectUri }));
    expect(landing.location.searchParams.get('error')).toBe('invalid_request');
    expect(landing.location.searchParams.has('code')).toBe(false);
  });

  it('a code issued with a challenge cannot be redeemed without the verifier', async () => {
    const config = await relyingParty('demoNative');
    const pending = await authorizationRequest(config, 'demoNative');
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
    const { status, body } = await (async () => {
      const res = await fetch(`${issuer()}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'demo-native', code: callback.searchParams.get('code')!, redirect_uri: pending.redirectUri }),
      });
      return { status: res.status, body: (await res.json()) as { error: string } };
    })();
    expect(status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(body.error);
  });
});

describe('prompt and max_age', () => {
  it('prompt=none without a session: redirect with error=login_required (and state, iss)', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const browser = new Browser(baseUrl());
    const landing = expectRedirect(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'a prompt=none answer');
    expect(landing.location.origin + landing.location.pathname).toBe(pending.redirectUri);
    expect(landing.location.searchParams.get('error')).toBe('login_required');
    expect(landing.location.searchParams.get('state')).toBe(pending.state);
    expect(landing.location.searchParams.get('iss')).toBe(issuer());
    expect(landing.location.searchParams.has('code')).toBe(false);
    expect(browser.history.some((u) => u.pathname.startsWith('/interaction/'))).toBe(false);
  });

  it('prompt=none with a session: a code without any page', async () => {
    const config = await relyingParty('demoWeb');
    const browser = new Browser(baseUrl());
    await signInAndGetCallback(browser, await authorizationRequest(config, 'demoWeb'), account);
    const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const landing = expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri }));
    const tokens = await exchangeCode(config, landing.location, silent);
    expect(tokens.claims()?.sub).toBe(account.id);
  });

  it('max_age=1 two seconds after sign-in forces a new sign-in, with a later auth_time', async () => {
    const config = await relyingParty('demoWeb');
    const browser = new Browser(baseUrl());
    // max_age on the first request too, so its ID token must carry auth_time (OIDC Core 3.1.2.1).
    const firstRequest = await authorizationRequest(config, 'demoWeb', { max_age: '600' });
    const first = await exchangeCode(config, await signInAndGetCallback(browser, firstRequest, account), firstRequest);
    const firstAuthTime = first.claims()!.auth_time!;
    expect(firstAuthTime).toEqual(expect.any(Number));

    await new Promise((r) => setTimeout(r, 2100));

    const pending = await authorizationRequest(config, 'demoWeb', { max_age: '1' });
    const page = expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page again');
    expect(page.url.pathname).toMatch(/^\/interaction\//);
    expect(findInput(page.html, 'password')).toBeDefined();

    const callback = expectRedirect(await submitSignIn(browser, page, account, pending.redirectUri)).location;
    const second = await exchangeCode(config, callback, pending, { maxAge: 1 });
    const { payload } = await jose.jwtVerify(second.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-web' });
    expect(payload.auth_time).toEqual(expect.any(Number));
    expect(Number(payload.auth_time)).toBeGreaterThan(firstAuthTime);
    expect(payload.sub).toBe(account.id);
  });
});

describe('request parameters', () => {
  it('unknown parameters are ignored: the flow completes normally', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb', { foo: 'bar', 'x-unknown': '1', extra_param: 'ignored please' });
    const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
    expect(callback.searchParams.has('foo')).toBe(false);
    const tokens = await exchangeCode(config, callback, pending);
    const { payload } = await jose.jwtVerify(tokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-web' });
    expect(payload.sub).toBe(account.id);
    expect(payload).not.toHaveProperty('foo');
  });

  it('response_type=token (implicit) is refused at the redirect_uri', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb', { response_type: 'token' });
    const landing = expectRedirect(await new Browser(baseUrl()).navigate(pending.url, { stopAt: pending.redirectUri }));
    // Error parameters may come in the query or the fragment; no token either way.
    const params = new URLSearchParams(landing.location.search || landing.location.hash.slice(1));
    expect(params.get('error')).toBe('unsupported_response_type');
    expect(landing.location.href).not.toMatch(/access_token=/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { forms, inputs } from './_support/html';
import { CLIENTS, authorizationRequest, baseUrl, client, exchangeCode, issuer, relyingParty, submitSignIn } from './_support/oidc';

/**
 * OIDC Core 3.1.2.1 and RP-Initiated Logout §2: the authorization and end-session endpoints
 * accept POST (form-encoded) as well as GET. A relying party on another site posts to them, so
 * the session cookie is SameSite=None; Secure; the interaction cookies stay SameSite=Lax.
 */

const RP_ORIGIN = 'https://rp.example';
let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('http-post');
});

/** A test browser that also keeps every Set-Cookie header it received. */
function recordingBrowser() {
  const browser = new Browser(baseUrl());
  const setCookies: string[] = [];
  const request = browser.request.bind(browser);
  browser.request = async (input, init) => {
    const response = await request(input, init);
    setCookies.push(...response.headers.getSetCookie());
    return response;
  };
  return { browser, setCookies };
}

function cookieLine(setCookies: string[], name: string): string {
  const line = setCookies.find((c) => c.startsWith(`${name}=`) && !/expires=Thu, 01 Jan 1970/i.test(c));
  if (!line) throw new Error(`no ${name} cookie among ${setCookies.map((c) => c.split('=')[0]).join(', ')}`);
  return line.toLowerCase();
}

async function signedInByPost() {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb');
  const { browser, setCookies } = recordingBrowser();
  // The same parameters the GET URL carries, posted from the relying party's page.
  const form = Object.fromEntries(pending.url.searchParams);
  const page = expectPage(await browser.navigate(`${issuer()}/auth`, { form, headers: { origin: RP_ORIGIN } }), 'the sign-in page');
  expect(page.url.pathname).toMatch(/^\/interaction\//);
  const done = expectRedirect(await submitSignIn(browser, page, account, pending.redirectUri), 'the redirect to redirect_uri');
  const tokens = await exchangeCode(config, done.location, pending);
  return { config, browser, setCookies, tokens };
}

describe('POST to the authorization endpoint', () => {
  it('signs in and returns a code like GET does; only the session cookie is SameSite=None', async () => {
    const { tokens, setCookies } = await signedInByPost();
    expect(tokens.claims()?.sub).toBe(account.id);

    const session = cookieLine(setCookies, '_session');
    expect(session).toContain('samesite=none');
    expect(session).toContain('secure');
    expect(session).toContain('httponly');
    const interaction = cookieLine(setCookies, '_interaction');
    expect(interaction).toContain('samesite=lax');
    expect(interaction).not.toContain('samesite=none');
  });

  it('a silent POST (prompt=none) reuses the session', async () => {
    const { config, browser } = await signedInByPost();
    const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const back = expectRedirect(
      await browser.navigate(`${issuer()}/auth`, { form: Object.fromEntries(silent.url.searchParams), headers: { origin: RP_ORIGIN }, stopAt: silent.redirectUri }),
      'a code without a sign-in page',
    );
    expect(back.location.searchParams.get('code')).toEqual(expect.any(String));
    expect(back.location.searchParams.get('state')).toBe(silent.state);
  });
});

describe('POST to the end-session endpoint', () => {
  it('with a first-party id_token_hint: straight back to post_logout_redirect_uri, session ended', async () => {
    const { config, browser, tokens } = await signedInByPost();
    const state = client.randomState();
    const done = expectRedirect(
      await browser.navigate(`${issuer()}/session/end`, {
        form: { id_token_hint: tokens.id_token!, post_logout_redirect_uri: CLIENTS.demoWeb().postLogoutRedirectUri, state },
        headers: { origin: RP_ORIGIN },
        stopAt: CLIENTS.demoWeb().postLogoutRedirectUri,
      }),
      'the redirect to post_logout_redirect_uri',
    );
    expect(done.status).toBe(303);
    expect(done.location.searchParams.get('state')).toBe(state);
    const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const back = expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri }), 'a prompt=none answer');
    expect(back.location.searchParams.get('error')).toBe('login_required');
  });

  it('without a hint: the confirmation page, and its form ends the session', async () => {
    const { browser } = await signedInByPost();
    const page = expectPage(await browser.navigate(`${issuer()}/session/end`, { form: { client_id: 'demo-web' }, headers: { origin: RP_ORIGIN } }), 'the confirmation page');
    expect(page.status).toBe(200);
    const form = forms(page.html).find((f) => f.id === 'op.logoutForm');
    const xsrf = inputs(form!.html).find((i) => i.name === 'xsrf')?.value;
    const done = expectRedirect(await browser.navigate(new URL(form!.action!, baseUrl()), { form: { xsrf: xsrf!, logout: 'yes' }, stopAt: `${issuer()}/session/end/success` }), 'the end');
    expect(done.location.pathname).toBe('/oidc/session/end/success');
  });
});

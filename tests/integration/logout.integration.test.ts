import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { buttons, forms, htmlLang, inputs, visibleText } from './_support/html';
import { CLIENTS, authorizationRequest, baseUrl, client, exchangeCode, issuer, relyingParty, signInAndGetCallback } from './_support/oidc';

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('logout');
});

async function signedInBrowser() {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb');
  const browser = new Browser(baseUrl());
  const callback = await signInAndGetCallback(browser, pending, account);
  const tokens = await exchangeCode(config, callback, pending);
  return { config, browser, tokens };
}

describe('RP-initiated logout', () => {
  it('confirms on a localized page, then returns to post_logout_redirect_uri with the same state', async () => {
    const { config, browser, tokens } = await signedInBrowser();
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: CLIENTS.demoWeb().postLogoutRedirectUri,
      state,
      ui_locales: 'ja',
    });
    expect(endSession.href.startsWith(`${issuer()}/session/end`)).toBe(true);

    const confirmation = expectPage(await browser.navigate(endSession), 'the logout confirmation page');
    expect(confirmation.status).toBe(200);
    expect(confirmation.headers.get('content-type')).toMatch(/text\/html/);
    expect(htmlLang(confirmation.html)).toBe('ja');
    const text = visibleText(confirmation.html);
    expect(text).toContain('Meridian ID からログアウトしますか?');
    expect(text).toContain('Meridian demo web app がログアウトを求めています。');
    expect(buttons(confirmation.html)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'logout', value: 'yes', text: 'ログアウト' })]));

    const form = forms(confirmation.html).find((f) => f.id === 'op.logoutForm');
    expect(form?.action).toBeDefined();
    const xsrf = inputs(form!.html).find((i) => i.name === 'xsrf')?.value;
    expect(xsrf).toEqual(expect.any(String));

    const done = expectRedirect(
      await browser.navigate(new URL(form!.action!, baseUrl()), { form: { xsrf: xsrf!, logout: 'yes' }, stopAt: CLIENTS.demoWeb().postLogoutRedirectUri }),
      'the redirect to post_logout_redirect_uri',
    );
    expect(done.location.origin + done.location.pathname).toBe(CLIENTS.demoWeb().postLogoutRedirectUri);
    expect(done.location.searchParams.get('state')).toBe(state);

    // The session is gone: a silent authorization now needs a sign-in.
    const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const back = expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri }), 'a prompt=none answer');
    expect(back.location.searchParams.get('error')).toBe('login_required');
  });

  it('the confirmation page follows the browser language when the client sends no ui_locales', async () => {
    const { config, browser, tokens } = await signedInBrowser();
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
    const page = expectPage(await browser.navigate(endSession, { headers: { 'accept-language': 'zh-TW,zh;q=0.9' } }), 'the logout confirmation page');
    expect(page.status).toBe(200);
    expect(htmlLang(page.html)).toBe('zh-TW');
    expect(visibleText(page.html)).toContain('您要登出 Meridian ID 嗎？');
  });

  it('a bad id_token_hint gets an error page, never a redirect', async () => {
    const { config, browser, tokens } = await signedInBrowser();
    const state = client.randomState();

    const garbage = client.buildEndSessionUrl(config, { id_token_hint: 'not-a-jwt', post_logout_redirect_uri: CLIENTS.demoWeb().postLogoutRedirectUri, state });
    const res1 = await browser.request(garbage);
    expect(res1.status).toBe(400);
    expect(res1.headers.get('location')).toBeNull();
    expect(res1.headers.get('content-type')).toMatch(/text\/html/);
    expect(visibleText(await res1.text())).toContain('Something went wrong');

    // A real ID token whose signature was tampered with.
    const [h, p, s] = tokens.id_token!.split('.');
    const forged = `${h}.${p}.${s!.slice(0, -4)}${s!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const tampered = client.buildEndSessionUrl(config, { id_token_hint: forged, post_logout_redirect_uri: CLIENTS.demoWeb().postLogoutRedirectUri, state });
    const res2 = await browser.request(tampered);
    expect(res2.status).toBe(400);
    expect(res2.headers.get('location')).toBeNull();
    expect(visibleText(await res2.text())).toContain('Something went wrong');

    // An unregistered post_logout_redirect_uri is refused the same way.
    const foreign = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example/after-logout', state });
    const res3 = await browser.request(foreign);
    expect(res3.status).toBe(400);
    expect(res3.headers.get('location')).toBeNull();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { buttons, forms, htmlLang, inputs, visibleText } from './_support/html';
import { CLIENTS, authorizationRequest, baseUrl, client, exchangeCode, issuer, relyingParty, submitConsent, submitSignIn } from './_support/oidc';

let account: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  [account, other] = await Promise.all([createAccount('logout'), createAccount('logout-other')]);
});

/** A browser signed in to `name` (demo-web is first party; partner-app is a third party, with consent). */
async function signedInBrowser(name: 'demoWeb' | 'partnerApp' = 'demoWeb', who: TestAccount = account) {
  const config = await relyingParty(name);
  const pending = await authorizationRequest(config, name);
  const browser = new Browser(baseUrl());
  const signInPage = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
  let done = await submitSignIn(browser, signInPage, who, pending.redirectUri);
  if (done.kind === 'page') done = await submitConsent(browser, done, 'allow', pending.redirectUri);
  const tokens = await exchangeCode(config, expectRedirect(done, 'the redirect to redirect_uri').location, pending);
  return { config, browser, tokens };
}

async function expectSessionEnded(browser: Browser, config: Awaited<ReturnType<typeof relyingParty>>) {
  const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
  const back = expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri }), 'a prompt=none answer');
  expect(back.location.searchParams.get('error')).toBe('login_required');
}

describe('RP-initiated logout of a first-party client', () => {
  it('with a valid id_token_hint for this session: a 303 to post_logout_redirect_uri at once, session ended', async () => {
    const { config, browser, tokens } = await signedInBrowser();
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: CLIENTS.demoWeb().postLogoutRedirectUri, state });
    const response = await browser.request(endSession);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(CLIENTS.demoWeb().postLogoutRedirectUri);
    expect(location.searchParams.get('state')).toBe(state);
    await response.body?.cancel();
    await expectSessionEnded(browser, config);
  });

  it('with another person\'s id_token_hint: the confirmation page, and this session is kept', async () => {
    const { tokens: othersTokens } = await signedInBrowser('demoWeb', other);
    const { config, browser } = await signedInBrowser();
    const page = expectPage(await browser.navigate(client.buildEndSessionUrl(config, { id_token_hint: othersTokens.id_token! })), 'the logout confirmation page');
    expect(forms(page.html).some((f) => f.id === 'op.logoutForm')).toBe(true);
    const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const back = expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri }), 'a prompt=none answer');
    expect(back.location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('without an id_token_hint: the confirmation page', async () => {
    const { config, browser } = await signedInBrowser();
    const page = expectPage(await browser.navigate(client.buildEndSessionUrl(config, { client_id: 'demo-web' })), 'the logout confirmation page');
    expect(forms(page.html).some((f) => f.id === 'op.logoutForm')).toBe(true);
  });
});

describe('RP-initiated logout of a third-party client', () => {
  it('confirms on a localized page, then returns to post_logout_redirect_uri with the same state', async () => {
    const { config, browser, tokens } = await signedInBrowser('partnerApp');
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: CLIENTS.partnerApp().postLogoutRedirectUri,
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
    expect(text).toContain('Partner travel app がログアウトを求めています。');
    expect(buttons(confirmation.html)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'logout', value: 'yes', text: 'ログアウト' })]));

    const form = forms(confirmation.html).find((f) => f.id === 'op.logoutForm');
    expect(form?.action).toBeDefined();
    const xsrf = inputs(form!.html).find((i) => i.name === 'xsrf')?.value;
    expect(xsrf).toEqual(expect.any(String));

    const done = expectRedirect(
      await browser.navigate(new URL(form!.action!, baseUrl()), { form: { xsrf: xsrf!, logout: 'yes' }, stopAt: CLIENTS.partnerApp().postLogoutRedirectUri }),
      'the redirect to post_logout_redirect_uri',
    );
    expect(done.location.origin + done.location.pathname).toBe(CLIENTS.partnerApp().postLogoutRedirectUri);
    expect(done.location.searchParams.get('state')).toBe(state);

    // The session is gone: a silent authorization now needs a sign-in.
    await expectSessionEnded(browser, await relyingParty('demoWeb'));
  });

  it('the confirmation page follows the browser language when the client sends no ui_locales', async () => {
    const { config, browser, tokens } = await signedInBrowser('partnerApp');
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

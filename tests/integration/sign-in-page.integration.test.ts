/**
 * The sign-in page as a browser without JavaScript sees it: plain form POSTs answered with 303s.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, type Landing, expectPage, expectRedirect } from './_support/browser';
import { createAccounts, type TestAccount } from './_support/cli';
import { alerts, buttons, findInput, htmlLang, labelOf, visibleText } from './_support/html';
import { authorizationRequest, baseUrl, exchangeCode, interactionUid, relyingParty, signInAndGetCallback, submitSignIn } from './_support/oidc';

let user: TestAccount;
let lockoutUser: TestAccount;

beforeAll(async () => {
  [user, lockoutUser] = await createAccounts('signin', 'lockout');
});

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

async function openSignInPage(extra: Record<string, string> = {}, browser = new Browser(baseUrl())) {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb', extra);
  const page = expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page');
  expect(page.status).toBe(200);
  expect(page.url.pathname).toMatch(/^\/interaction\//);
  return { browser, config, pending, page };
}

/** POSTs the form without following, to see the 303 itself, then loads where it points. */
async function postCredentials(browser: Browser, page: Landing & { kind: 'page' }, email: string, password: string) {
  const uid = interactionUid(page.url);
  const res = await browser.request(`/interaction/${encodeURIComponent(uid)}/login`, { form: { email, password } });
  const location = res.headers.get('location');
  await res.body?.cancel();
  return { status: res.status, location: location ? new URL(location, baseUrl()) : null, uid };
}

describe('sign-in page', () => {
  it('renders a labelled form with the autocomplete tokens password managers rely on', async () => {
    const { page } = await openSignInPage();
    expect(htmlLang(page.html)).toBe('en');
    expect(findInput(page.html, 'email')).toMatchObject({ type: 'email', autocomplete: 'username' });
    expect(findInput(page.html, 'password')).toMatchObject({ type: 'password', autocomplete: 'current-password' });
    expect(labelOf(page.html, 'email')).toBe('Email');
    expect(labelOf(page.html, 'password')).toBe('Password');
    expect(buttons(page.html).map((b) => b.text)).toContain('Sign in');
    expect(visibleText(page.html)).toContain('Meridian demo web app');
  });

  it('wrong password: 303 back to the page, which shows the error and keeps the typed email', async () => {
    const { browser, page } = await openSignInPage();
    const post = await postCredentials(browser, page, user.email, 'definitely-wrong-password');
    expect(post.status).toBe(303);
    expect(post.location?.pathname).toBe(`/interaction/${post.uid}`);
    expect(post.location?.searchParams.get('error')).toBe('signin.invalid_credentials');

    const again = expectPage(await browser.navigate(post.location!));
    expect(again.status).toBe(200);
    expect(alerts(again.html)).toContain(INVALID_CREDENTIALS);
    expect(findInput(again.html, 'email')?.value).toBe(user.email);
    expect(findInput(again.html, 'password')?.value ?? '').toBe('');
  });

  it('an unknown email gets exactly the same answer (no user enumeration)', async () => {
    const { browser, page } = await openSignInPage();
    const post = await postCredentials(browser, page, `nobody-${randomUUID().slice(0, 8)}@example.com`, 'whatever-password');
    expect(post.status).toBe(303);
    expect(post.location?.searchParams.get('error')).toBe('signin.invalid_credentials');
    const again = expectPage(await browser.navigate(post.location!));
    expect(alerts(again.html)).toEqual([INVALID_CREDENTIALS]);
  });

  it('the right password after a wrong one completes the flow', async () => {
    const { browser, config, pending, page } = await openSignInPage();
    const post = await postCredentials(browser, page, user.email, 'wrong-once-password');
    const again = expectPage(await browser.navigate(post.location!));
    const callback = expectRedirect(await submitSignIn(browser, again, user, pending.redirectUri)).location;
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()?.sub).toBe(user.id);
  });

  it('locks the email out after 5 failures and says so, even for the right password', async () => {
    const { browser, page } = await openSignInPage();
    const codes: (string | null | undefined)[] = [];
    for (let i = 0; i < 5; i += 1) {
      const post = await postCredentials(browser, page, lockoutUser.email, `wrong-password-${i}`);
      expect(post.status).toBe(303);
      codes.push(post.location?.searchParams.get('error'));
    }
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('signin.invalid_credentials'));
    expect(['signin.invalid_credentials', 'signin.locked']).toContain(codes[4]);

    const locked = await postCredentials(browser, page, lockoutUser.email, lockoutUser.password);
    expect(locked.status).toBe(303);
    expect(locked.location?.searchParams.get('error')).toBe('signin.locked');
    const shown = expectPage(await browser.navigate(locked.location!));
    expect(alerts(shown.html).join(' ')).toMatch(/^Too many failed attempts\. Try again in \d+ minutes?\.$/);

    // Another account from the same browser is not affected by that email's lockout.
    const { browser: other, page: otherPage, pending } = await openSignInPage();
    const ok = await submitSignIn(other, otherPage, user, pending.redirectUri);
    expect(expectRedirect(ok).location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('ui_locales=ja renders the page in Japanese', async () => {
    const { page } = await openSignInPage({ ui_locales: 'ja' });
    expect(htmlLang(page.html)).toBe('ja');
    expect(labelOf(page.html, 'email')).toBe('メールアドレス');
    expect(labelOf(page.html, 'password')).toBe('パスワード');
    expect(buttons(page.html).map((b) => b.text)).toContain('ログイン');
  });

  it('ui_locales=ja also localizes the error after a failed attempt', async () => {
    const { browser, page } = await openSignInPage({ ui_locales: 'ja' });
    const post = await postCredentials(browser, page, user.email, 'wrong-password-ja');
    const again = expectPage(await browser.navigate(post.location!));
    expect(htmlLang(again.html)).toBe('ja');
    expect(alerts(again.html)).toContain('メールアドレスまたはパスワードが正しくありません。');
  });

  it('login_hint pre-fills the email', async () => {
    const { page } = await openSignInPage({ login_hint: user.email });
    expect(findInput(page.html, 'email')?.value).toBe(user.email);
  });

  it('prompt=login with an existing session shows the sign-in page again', async () => {
    const browser = new Browser(baseUrl());
    const config = await relyingParty('demoWeb');
    await signInAndGetCallback(browser, await authorizationRequest(config, 'demoWeb'), user);

    // Without prompt=login the session is enough…
    const silent = await authorizationRequest(config, 'demoWeb');
    expect(expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri })).location.searchParams.get('code')).toEqual(expect.any(String));

    // …with it, the user is asked again.
    const { page, pending } = await openSignInPage({ prompt: 'login' }, browser);
    expect(findInput(page.html, 'password')).toBeDefined();
    const callback = expectRedirect(await submitSignIn(browser, page, user, pending.redirectUri)).location;
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('a sign-in POST from another origin is refused', async () => {
    const { browser, page } = await openSignInPage();
    const uid = interactionUid(page.url);
    const res = await browser.request(`/interaction/${encodeURIComponent(uid)}/login`, {
      form: { email: user.email, password: user.password },
      headers: { origin: 'https://evil.example', 'accept-language': 'ja' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    // A localized page with a stable code, not a bare word.
    const html = await res.text();
    expect(htmlLang(html)).toBe('ja');
    expect(alerts(html)).toEqual(['このフォームは別のサイトから送信されたため、受け付けられませんでした。アプリに戻って、もう一度お試しください。']);
    expect(visibleText(html)).toContain('request.cross_origin');
  });
});

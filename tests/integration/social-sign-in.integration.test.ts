/**
 * Sign-in methods at the HTTP level, on the server the integration suite starts with the demo
 * configuration and no social credentials in its environment (the browser journeys run the
 * whole social sign-in against a local provider). What a misconfigured or tampered request gets.
 */
import { describe, expect, it } from 'vitest';
import { Browser, expectPage } from './_support/browser';
import { createAccounts } from './_support/cli';
import { alerts, buttons, forms, htmlLang } from './_support/html';
import { authorizationRequest, baseUrl, interactionUid, relyingParty } from './_support/oidc';

async function openSignInPage(browser = new Browser(baseUrl())) {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb', { region: 'JP' });
  const page = expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page');
  expect(page.url.pathname).toMatch(/^\/interaction\//);
  return { browser, page, uid: interactionUid(page.url) };
}

describe('sign-in methods of a region', () => {
  it('hides a social provider that has no credentials, and its button URL answers with a localized notice', async () => {
    const { browser, page, uid } = await openSignInPage();
    // Japan lists LINE and Google, but neither has a client id here.
    expect(buttons(page.html).map((b) => b.text)).not.toContain('Continue with LINE');
    expect(forms(page.html).some((f) => f.action?.includes('/upstream/'))).toBe(false);
    const res = await browser.request(`/interaction/${encodeURIComponent(uid)}/upstream/line`, { form: {} });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '', baseUrl());
    expect(`${location.pathname}${location.search}`).toBe(`/interaction/${encodeURIComponent(uid)}?error=signin.method_unavailable`);
    await res.body?.cancel();
    const back = expectPage(await browser.navigate(location), 'the sign-in page again');
    expect(alerts(back.html)).toEqual(['This sign-in method is not available right now. Choose another one.']);
  });

  it('links to passwordless sign-in where the region offers it', async () => {
    const { page, uid } = await openSignInPage();
    expect(page.html).toContain(`href="/interaction/${uid}/email-code"`);
  });

  it('answers a callback it did not start (no state cookie, or a forged one) with a localized page and nothing else', async () => {
    for (const [cookie, language] of [
      [undefined, 'ja'],
      ['meridian_upstream=forged-state-value-1234567890', 'en'],
    ] as const) {
      const res = await fetch(`${baseUrl()}/upstream/line/callback?code=abc&state=forged-state-value-1234567890`, {
        redirect: 'manual',
        headers: { 'accept-language': language, ...(cookie ? { cookie } : {}) },
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(htmlLang(html)).toBe(language);
      expect(alerts(html)).toEqual([
        language === 'ja'
          ? 'このサインインは有効期限が切れたか、別のブラウザーで開始されました。アプリに戻って、もう一度お試しください。'
          : 'This sign-in has expired or was started in another browser. Go back to the app and start again.',
      ]);
    }
  });

  it('refuses to send a code from a page of another origin, and accepts it from ours without saying whether the address exists', async () => {
    const { browser, uid } = await openSignInPage();
    const path = `/interaction/${encodeURIComponent(uid)}/email-code/send`;
    const forged = await browser.request(path, { form: { email: 'someone@example.com' }, headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    await forged.body?.cancel();
    const [known] = await createAccounts('emailcode');
    for (const email of [known!.email, 'nobody-at-all@example.com']) {
      const fresh = await openSignInPage();
      const freshPath = `/interaction/${encodeURIComponent(fresh.uid)}/email-code`;
      const res = await fresh.browser.request(`${freshPath}/send`, { form: { email } });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${freshPath}?sent=1`);
      await res.body?.cancel();
    }
  });
});

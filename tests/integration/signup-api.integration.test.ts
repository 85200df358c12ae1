import { afterAll, describe, expect, it } from 'vitest';
import { Browser, expectRedirect } from './_support/browser';
import { ACR_AAL1, authorizationRequest, baseUrl, exchangeCode, issuer, relyingParty, submitSignIn } from './_support/oidc';
import { api, errorsOf, GOOD_PASSWORD, input, mail, serverDb, startFlow, stepOf, submit, uniqueEmail, type ErrorBody } from './_support/signup';

// A complete sign-up through the JSON flow API with plain HTTP (a native renderer), the code read
// from the mail a real SMTP server received; then the new account signs in and gets tokens.

afterAll(async () => {
  await serverDb().$disconnect();
});

describe('sign-up over the JSON flow API', () => {
  it('advertises prompt=create in discovery', async () => {
    const discovery = (await api('/oidc/.well-known/openid-configuration')).body as { prompt_values_supported: string[] };
    expect(discovery.prompt_values_supported).toEqual(expect.arrayContaining(['create', 'login', 'consent', 'none']));
  });

  it('has no outbox page when mail goes to SMTP_URL', async () => {
    expect((await fetch(`${baseUrl()}/demo/outbox`)).status).toBe(404);
  });

  it('creates a TW account in zh-TW: region, email, code from the mail, password, terms, marketing opt-in', async () => {
    const email = uniqueEmail('tw-api');
    const created = await startFlow({ locale: 'zh-TW' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/flows/${created.flow.id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('set-cookie')).toBeNull();
    let flow = created.flow;
    expect(flow).toMatchObject({ type: 'signup', state: 'active', locale: 'zh-TW', region: null, ui: { method: 'POST', action: `/api/flows/${flow.id}` } });
    expect(flow.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(flow.expires_at) - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(stepOf(flow)).toBe('region');
    expect(input(flow, 'region')?.attributes.options?.find((o) => o.value === 'TW')?.label).toMatchObject({ id: 'region.names.TW', text: '台灣' });

    // The same flow is there for GET, in another language on request.
    const again = await api(`/api/flows/${flow.id}?locale=ja`);
    expect(again.status).toBe(200);
    expect((again.body as typeof flow).locale).toBe('ja');

    flow = (await submit(flow, { region: 'TW' })).flow;
    expect(stepOf(flow)).toBe('email');
    const before = await mail().lastSeq();
    const sent = await submit(flow, { email });
    expect(sent.status).toBe(200);
    flow = sent.flow;
    expect(stepOf(flow)).toBe('email_code');
    const message = await mail().waitFor({ to: email, after: before });
    expect(message.subject).toMatch(/^您的 Meridian ID 驗證碼:\d{6}$/);
    expect(message.html).toContain('lang="zh-TW"');
    // A native flow's mail has no link (the link is for the browser that started the flow).
    expect(message.text).not.toContain('/verify?code=');
    const code = await mail().codeFor(email, { after: before });

    flow = (await submit(flow, { code })).flow;
    expect(stepOf(flow)).toBe('password');
    const pending = await serverDb().account.findUnique({ where: { email } });
    expect(pending).toMatchObject({ status: 'pending', emailVerified: true, countryRegionCode: 'TW', locale: 'zh-TW', passwordHash: null });

    flow = (await submit(flow, { password: GOOD_PASSWORD })).flow;
    expect(stepOf(flow)).toBe('terms');
    const terms = input(flow, 'accept_terms');
    expect(terms?.attributes).toMatchObject({ type: 'checkbox', required: true });
    expect(terms?.meta.label).toMatchObject({ id: 'legal.accept.terms', text: '我同意服務條款(版本 2026-01)', context: { href: '/legal/TW/terms', version: '2026-01' } });
    flow = (await submit(flow, { accept_terms: true })).flow;
    expect(stepOf(flow)).toBe('marketing_consent');
    expect(input(flow, 'marketing')?.attributes.value).toBeUndefined();
    const done = await submit(flow, { marketing: true });
    expect(done.status).toBe(200);
    expect(done.flow).toMatchObject({ state: 'complete', continue_to: '/' });

    const account = await serverDb().account.findUnique({ where: { email }, include: { termsAcceptances: true, consents: true, steps: true } });
    expect(account).toMatchObject({ status: 'active', marketingOptIn: true });
    expect(account?.termsAcceptances).toEqual([expect.objectContaining({ region: 'TW', documentId: 'terms', version: '2026-01', locale: 'zh-TW' })]);
    expect(account?.consents).toEqual([expect.objectContaining({ purpose: 'marketing', granted: true, method: 'opt_in' })]);
    expect(account?.steps.map((s) => s.step).sort()).toEqual(['email', 'email_code', 'marketing_consent', 'password', 'terms']);

    // Submitting the last step again changes nothing: same complete flow.
    const twice = await submit(flow, { marketing: true });
    expect(twice.flow.state).toBe('complete');
    expect(await serverDb().consent.count({ where: { accountId: account!.id } })).toBe(1);

    // The new account signs in and gets tokens with its region and language.
    const config = await relyingParty('demoWeb');
    const pendingAuth = await authorizationRequest(config, 'demoWeb', { ui_locales: 'zh-TW' });
    const browser = new Browser(new URL(issuer()).origin);
    const page = await browser.navigate(pendingAuth.url, { stopAt: pendingAuth.redirectUri });
    const callback = expectRedirect(await submitSignIn(browser, page, { email, password: GOOD_PASSWORD }, pendingAuth.redirectUri)).location;
    const tokens = await exchangeCode(config, callback, pendingAuth);
    expect(tokens.claims()).toMatchObject({ sub: account!.id, email, country_region_code: 'TW', locale: 'zh-TW', acr: ACR_AAL1, amr: ['pwd'] });
  });

  it('answers form posts (the page) with 303 and JSON with the flow; errors as JSON with the right status', async () => {
    const flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
    expect(flow.region).toBe('US');
    // ui.action is site-relative: a renderer resolves it against the server.
    const res = await fetch(new URL(flow.ui.action, baseUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ step: 'email', email: 'not-an-email' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/signup/${flow.id}`);
    // Post/redirect/get: the error waits on the flow for the page.
    const shown = await api(`/api/flows/${flow.id}`);
    expect(errorsOf(shown.body as typeof flow, 'email')).toEqual([{ id: 'signup.email.invalid', text: 'Enter an email address like name@example.com.' }]);

    const unknown = await api('/api/flows/no-such-flow-0000000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { id: 'signup.flow_not_found', text: 'This sign-up link is not valid. Start again.', status: 404 } });
    const ja = await api('/api/flows/no-such-flow-0000000000000000000000000000', { headers: { 'accept-language': 'ja' } });
    expect((ja.body as ErrorBody).error.text).toBe('この登録リンクは無効です。最初からやり直してください。');
    const bad = await api('/api/flows', { json: { type: 'login' } });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorBody).error.id).toBe('signup.invalid_request');
    const cross = await api(flow.ui.action, { json: { step: 'email', email: 'x@example.com' }, headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
  });
});

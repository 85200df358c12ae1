import { afterAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/domain/flows/flow';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccount } from './_support/cli';
import { ACR_AAL1, authorizationRequest, baseUrl, exchangeCode, interactionUid, issuer, relyingParty, submitSignIn } from './_support/oidc';
import { errorsOf, GOOD_PASSWORD, input, mail, serverDb, stepOf, uniqueEmail } from './_support/signup';

// Sign-up started by a relying party (prompt=create, OpenID Connect Initiating User Registration)
// and readiness at sign-in, driven like a browser without JavaScript: the flow's form posts
// (answered 303) and the JSON view of the same flow, with the browser's cookies.

afterAll(async () => {
  await serverDb().$disconnect();
});

async function flowOf(browser: Browser, id: string): Promise<Flow> {
  // No Accept-Language: the flow's own locale (the page's choice), not the test browser's "en".
  const res = await browser.request(`/api/flows/${id}`, { headers: { accept: 'application/json', 'accept-language': '' } });
  expect(res.status).toBe(200);
  return (await res.json()) as Flow;
}

/** Posts the flow's form as the page would; follows 303s until the flow page or `stopAt`. */
async function post(browser: Browser, flow: Flow, values: Record<string, string>, stopAt?: string) {
  return browser.navigate(flow.ui.action, { form: { step: stepOf(flow) ?? '', ...values }, stopAt: stopAt ?? `${baseUrl()}/signup/` });
}

function flowIdOf(location: URL): string {
  const m = /^\/signup\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
  if (!m?.[1]) throw new Error(`not a flow page: ${location.href}`);
  return m[1];
}

describe('prompt=create', () => {
  it('takes a TW person from the authorization request through sign-up in zh-TW to a code at the client', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb', { prompt: 'create', ui_locales: 'zh-TW', region: 'TW' });
    const browser = new Browser(new URL(issuer()).origin);
    const landing = expectRedirect(await browser.navigate(pending.url, { stopAt: `${baseUrl()}/signup/` }), 'the sign-up page');
    const paths = landing.visited.map((u) => u.pathname);
    const uid = interactionUid(landing.visited.find((u) => /^\/interaction\/[^/]+$/.test(u.pathname))!);
    expect(paths).toEqual(expect.arrayContaining([`/interaction/${uid}`, '/signup', `/interaction/${uid}/signup`]));
    expect(browser.cookieNames()).toContain('meridian_signup');
    const id = flowIdOf(landing.location);

    let flow = await flowOf(browser, id);
    expect(flow).toMatchObject({ state: 'active', region: 'TW', locale: 'zh-TW' });
    expect(stepOf(flow)).toBe('email');
    expect(flow.ui.nodes.find((n) => n.group === 'navigation')).toMatchObject({ type: 'a', attributes: { href: `/interaction/${uid}?mode=signin` } });
    // Another browser (no flow cookie) cannot use the flow.
    const foreign = await fetch(`${baseUrl()}/api/flows/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step: 'email', email: 'x@example.com' }) });
    expect(foreign.status).toBe(403);

    const email = uniqueEmail('tw-create');
    const before = await mail().lastSeq();
    expect(expectRedirect(await post(browser, flow, { email })).location.pathname).toBe(`/signup/${id}`);
    // The mail's link verifies the code in the browser that started the flow.
    const message = await mail().waitFor({ to: email, after: before });
    const link = /https?:\/\/\S+\/verify\?code=\d{6}/.exec(message.text)?.[0];
    expect(link).toBeDefined();
    expect(expectRedirect(await browser.navigate(new URL(link!).pathname + new URL(link!).search, { stopAt: `${baseUrl()}/signup/` })).location.pathname).toBe(`/signup/${id}`);

    flow = await flowOf(browser, id);
    expect(stepOf(flow)).toBe('password');
    await post(browser, flow, { password: GOOD_PASSWORD });
    flow = await flowOf(browser, id);
    expect(stepOf(flow)).toBe('terms');
    expect(input(flow, 'accept_terms')?.meta.label?.text).toBe('我同意服務條款(版本 2026-01)');
    await post(browser, flow, { accept_terms: 'true' });
    flow = await flowOf(browser, id);
    expect(stepOf(flow)).toBe('marketing_consent');

    // The last step: 303 to continue_to, the provider resumes and redirects to the client with a code.
    const callback = expectRedirect(await post(browser, flow, {}, pending.redirectUri), 'the client callback').location;
    expect(callback.searchParams.get('code')).toBeTruthy();
    const tokens = await exchangeCode(config, callback, pending);
    const account = await serverDb().account.findUnique({ where: { email } });
    expect(account).toMatchObject({ status: 'active', countryRegionCode: 'TW', locale: 'zh-TW', marketingOptIn: false });
    expect(tokens.claims()).toMatchObject({ sub: account!.id, email, email_verified: true, country_region_code: 'TW', locale: 'zh-TW', acr: ACR_AAL1, amr: ['pwd'] });
    expect((await flowOf(browser, id)).state).toBe('complete');
  });

  it('lets someone with an account sign in instead, without being sent back to sign-up', async () => {
    const existing = await createAccount('create-signin', { region: 'US' });
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb', { prompt: 'create' });
    const browser = new Browser(new URL(issuer()).origin);
    const landing = expectRedirect(await browser.navigate(pending.url, { stopAt: `${baseUrl()}/signup/` }));
    const flow = await flowOf(browser, flowIdOf(landing.location));
    const signIn = flow.ui.nodes.find((n) => n.group === 'navigation');
    expect(signIn?.type).toBe('a');
    const href = signIn?.type === 'a' ? signIn.attributes.href : '/';
    const page = expectPage(await browser.navigate(href, { stopAt: pending.redirectUri }), 'the sign-in page');
    expect(page.html).toContain('name="password"');
    const callback = expectRedirect(await submitSignIn(browser, page, existing, pending.redirectUri)).location;
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()?.sub).toBe(existing.id);
  });
});

describe('readiness at sign-in', () => {
  it('sends an account whose terms acceptance is missing (a new version) into that step, then on to the client', async () => {
    const account = await createAccount('new-terms', { region: 'JP' });
    // As if a new version of the JP terms had been published since the account accepted it.
    await serverDb().termsAcceptance.updateMany({ where: { accountId: account.id }, data: { version: '2025-07' } });
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const browser = new Browser(new URL(issuer()).origin);
    const page = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
    const toFlow = expectRedirect(await submitSignIn(browser, page, account, `${baseUrl()}/signup/`), 'the flow page');
    let flow = await flowOf(browser, flowIdOf(toFlow.location));
    expect(stepOf(flow)).toBe('terms');
    expect(flow.ui.nodes.find((n) => n.type === 'text')).toMatchObject({ attributes: { text: { id: 'signup.terms.updated' } } });
    expect(flow.ui.nodes.some((n) => n.group === 'navigation')).toBe(false);
    const refused = expectRedirect(await post(browser, flow, {}));
    expect(refused.location.pathname).toBe(toFlow.location.pathname);
    flow = await flowOf(browser, flowIdOf(toFlow.location));
    expect(errorsOf(flow, 'accept_terms')[0]?.id).toBe('signup.terms.required');
    const callback = expectRedirect(await post(browser, flow, { accept_terms: 'true' }, pending.redirectUri)).location;
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()).toMatchObject({ sub: account.id, acr: ACR_AAL1, amr: ['pwd'] });
    expect((await serverDb().termsAcceptance.findMany({ where: { accountId: account.id } })).map((a) => a.version).sort()).toEqual(['2025-07', '2026-01']);
  });

  it('gives no code to an SSO session whose account became unready: the missing step first', async () => {
    const account = await createAccount('sso-unready', { region: 'JP' });
    const config = await relyingParty('demoWeb');
    const browser = new Browser(new URL(issuer()).origin);
    const first = await authorizationRequest(config, 'demoWeb');
    const page = await browser.navigate(first.url, { stopAt: first.redirectUri });
    expectRedirect(await submitSignIn(browser, page, account, first.redirectUri));
    await serverDb().termsAcceptance.deleteMany({ where: { accountId: account.id } });

    const silent = await authorizationRequest(config, 'demoWeb', { prompt: 'none' });
    const none = expectRedirect(await browser.navigate(silent.url, { stopAt: silent.redirectUri })).location;
    expect(none.searchParams.get('error')).toBe('interaction_required');

    const second = await authorizationRequest(config, 'demoWeb');
    const landing = expectRedirect(await browser.navigate(second.url, { stopAt: `${baseUrl()}/signup/` }), 'the flow page');
    expect(landing.visited.map((u) => u.pathname)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/interaction\/[^/]+\/signup$/)]));
    const flow = await flowOf(browser, flowIdOf(landing.location));
    expect(stepOf(flow)).toBe('terms');
    const callback = expectRedirect(await post(browser, flow, { accept_terms: 'true' }, second.redirectUri)).location;
    expect((await exchangeCode(config, callback, second)).claims()?.sub).toBe(account.id);
  });
});

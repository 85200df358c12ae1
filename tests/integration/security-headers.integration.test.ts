/**
 * Issue 31 point 7: a Content-Security-Policy on every page (a per-request nonce on Next.js'
 * scripts, no 'unsafe-inline' for scripts), on the provider's own pages too; HSTS and
 * `__Host-` cookies (ours and the provider's session cookie) when PUBLIC_URL is https.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type RunningServer } from '../support/server-process';
import { Browser, expectPage, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { htmlLang } from './_support/html';
import { authorizationRequest, baseUrl, relyingParty, submitSignIn } from './_support/oidc';

/** The CSP's directives by name. */
function directives(policy: string | null): Map<string, string[]> {
  expect(policy, 'a Content-Security-Policy header').toBeTruthy();
  return new Map(
    policy!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
}

async function openSignInPage(browser = new Browser(baseUrl()), extra: Record<string, string> = {}) {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb', extra);
  return { pending, page: expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page') };
}

describe('Content-Security-Policy', () => {
  let account: TestAccount;
  beforeAll(async () => {
    account = await createAccount('csp');
  });

  it('the sign-in page: a fresh nonce per request, on every script Next.js renders; no unsafe-inline', async () => {
    const first = (await openSignInPage()).page;
    const second = (await openSignInPage()).page;
    const csp = directives(first.headers.get('content-security-policy'));
    const scripts = csp.get('script-src')!;
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
    expect(nonce).toBeTruthy();
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    const tags = scriptTags(first.html);
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(second.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`);
  });

  it("the provider's own pages carry one too: scripts only from our origin", async () => {
    const error = await fetch(new URL('/oidc/auth?client_id=no-such-client&response_type=code&scope=openid', baseUrl()), { headers: { accept: 'text/html', 'accept-language': 'ja' } });
    const errorHtml = await error.text();
    expect(htmlLang(errorHtml)).toBe('ja');
    expect(directives(error.headers.get('content-security-policy')).get('script-src')).toEqual(["'self'"]);
    expect(scriptTags(errorHtml)).toEqual([]);

    // The logout confirmation, for a signed-in browser.
    const browser = new Browser(baseUrl());
    const { pending, page } = await openSignInPage(browser);
    await submitSignIn(browser, page, account, pending.redirectUri);
    const confirm = expectPage(await browser.navigate('/oidc/session/end'), 'the logout confirmation');
    expect(confirm.html).toContain('op.logoutForm');
    const csp = directives(confirm.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(scriptTags(confirm.html)).toEqual([]);
  });

  it("the provider's auto-submitting logout form: its inline script is allowed by its hash only", async () => {
    const res = await fetch(new URL('/oidc/session/end', baseUrl()), { headers: { accept: 'text/html' } });
    const html = await res.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const hash = `'sha256-${createHash('sha256').update(script!).digest('base64')}'`;
    expect(directives(res.headers.get('content-security-policy')).get('script-src')).toEqual(["'self'", hash]);
  });

  it("response_mode=form_post: the provider's auto-submit script is allowed by its hash, and nothing else inline", async () => {
    const browser = new Browser(baseUrl());
    const { page } = await openSignInPage(browser, { response_mode: 'form_post' });
    const done = expectPage(await submitSignIn(browser, page, account), 'the form_post page');
    expect(done.status).toBe(200);
    expect(done.html).toContain(`action="${baseUrl()}/demo/callback"`);
    const script = /<script>([\s\S]*?)<\/script>/.exec(done.html)?.[1];
    expect(script).toBeTruthy();
    const hash = `'sha256-${createHash('sha256').update(script!).digest('base64')}'`;
    const scripts = directives(done.headers.get('content-security-policy')).get('script-src')!;
    expect(scripts).toEqual(["'self'", hash]);
  });

  it('an error page answered by a route handler has it as well', async () => {
    const res = await fetch(new URL('/locale', baseUrl()), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
    expect(directives(res.headers.get('content-security-policy')).get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('no HSTS while PUBLIC_URL is http', async () => {
    const res = await fetch(new URL('/oidc/.well-known/openid-configuration', baseUrl()));
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const page = (await openSignInPage()).page;
    expect(page.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('a server whose PUBLIC_URL is https (TLS ends at a proxy in front)', () => {
  let server: RunningServer;
  const HSTS = 'max-age=63072000; includeSubDomains';

  beforeAll(async () => {
    const port = await freePort();
    server = await startServer({ port, env: { PUBLIC_URL: `https://localhost:${port}` } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const at = (path: string) => new URL(path, server.url);

  it('sends HSTS on what Next.js serves, on what server.mjs serves itself, and on the provider pages', async () => {
    for (const path of ['/signup', '/oidc/.well-known/openid-configuration', '/oidc/session/end', '/interaction/%ff']) {
      const res = await fetch(at(path), { headers: { accept: 'text/html' }, redirect: 'manual' });
      expect(res.headers.get('strict-transport-security'), path).toBe(HSTS);
      expect(res.headers.get('content-security-policy'), path).toBeTruthy();
      await res.body?.cancel();
    }
  });

  it('names our site-wide cookies __Host- (Secure, Path=/, no Domain), and reads them back', async () => {
    const origin = `https://localhost:${server.port}`;
    const locale = await fetch(at('/locale'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ locale: 'ja', return_to: '/' }),
      redirect: 'manual',
    });
    expect(locale.status).toBe(303);
    const localeCookie = locale.headers.getSetCookie().find((c) => c.startsWith('__Host-NEXT_LOCALE='));
    expect(localeCookie).toMatch(/^__Host-NEXT_LOCALE=ja; Path=\/;.*; Secure$/);
    expect(localeCookie).not.toMatch(/Domain=/i);

    const signup = await fetch(at('/signup'), { redirect: 'manual' });
    expect(signup.status).toBe(303);
    expect(signup.headers.getSetCookie().find((c) => c.startsWith('__Host-meridian_signup='))).toMatch(/; Path=\/;.*; Secure$/);

    // The prefixed locale cookie is the one the pages honour.
    const refused = await fetch(at('/locale'), { method: 'POST', headers: { 'content-type': 'text/plain', cookie: '__Host-NEXT_LOCALE=ja', 'accept-language': 'en' }, body: 'x' });
    expect(htmlLang(await refused.text())).toBe('ja');
  });
  it("names the provider's session cookie __Host-session (Secure, Path=/, no Domain), and reads it back", async () => {
    const origin = `https://localhost:${server.port}`;
    const browser = new Browser(origin, undefined, server.url);
    const email = `host-session-${randomUUID().slice(0, 8)}@example.com`;
    const password = `pw-${randomUUID()}`;
    await server.cli(['accounts', 'create', '--email', email, '--password', password, '--region', 'JP', '--json']);
    const verifier = randomBytes(32).toString('base64url');
    const authorize = () =>
      `/oidc/auth?${new URLSearchParams({
        client_id: 'demo-native',
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'com.meridian.demo:/oauth2redirect',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state: randomUUID(),
      })}`;

    const signIn = expectPage(await browser.navigate(authorize()), 'the sign-in page');
    const done = await submitSignIn(browser, signIn, { email, password });
    expect(expectRedirect(done, 'the redirect to the app').location.protocol).toBe('com.meridian.demo:');
    const session = browser.setCookies.filter((c) => c.startsWith('__Host-session='));
    expect(session.length).toBeGreaterThan(0);
    for (const line of session) {
      expect(line).toMatch(/; path=\/;/i);
      expect(line).toMatch(/; secure/i);
      expect(line).not.toMatch(/domain=/i);
    }
    expect(browser.cookieNames().filter((n) => n.startsWith('_session'))).toEqual([]);

    // The next authorization request knows the person from that cookie: it asks to continue as them.
    const again = expectPage(await browser.navigate(authorize()), 'the continue-as page');
    expect(again.html).toContain(email);
    expect(again.html).not.toContain('name="password"');
  });
});

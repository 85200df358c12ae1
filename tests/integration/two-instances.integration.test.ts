/**
 * Two server processes on one PostgreSQL database, as behind a load balancer (issue 32 point 6):
 * a flow may hop from one process to the other at any request, and a lockout or a key rotation
 * holds for both.
 *
 * Both processes get the same PUBLIC_URL, the origin of a small switching proxy in front of them
 * (tests/integration/_support/switching-proxy.ts). The issuer, the redirect URIs and every URL
 * the provider mints come from PUBLIC_URL, never from the request (lib/protocol/node-handler.ts
 * sets the Host from it), so tokens of one process are valid on the other only with one
 * PUBLIC_URL; the proxy lets the browser and openid-client keep that one origin (and its cookies)
 * while the test picks which process answers each request.
 *
 * Always PostgreSQL, whichever database the rest of the run uses: several processes on one
 * SQLite file is not a supported deployment. A database of its own, dropped afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Configuration } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../support/server-process';
import { Browser, expectPage } from './_support/browser';
import type { TestAccount } from './_support/cli';
import { authorizationRequest, client, relyingParty as relyingPartyOf, silentAuthorization as silentAuthorizationOf, exchangeCode, interactionUid, jose, oauthError, signInAndGetCallback } from './_support/oidc';
import { createScratchPostgresDatabase } from './_support/postgres';
import { type SwitchingProxy, startSwitchingProxy } from './_support/switching-proxy';

/** policies.sign_in_lockout.max_failures (the default; idp.config.yaml sets none). */
const MAX_FAILURES = 5;
/**
 * README: every process publishes keys rotated by the CLI within 30 s, and signs with them from
 * 60 s after the rotation, at its next 30 s reload (so by 90 s); the margin is for a loaded host.
 */
const KEY_PUBLISHED_DEADLINE_MS = 45_000;
const NEW_KEY_SIGNS_FROM_MS = 60_000;
const KEY_SWITCH_DEADLINE_MS = 105_000;

let database: Awaited<ReturnType<typeof createScratchPostgresDatabase>> | undefined;
let proxy: SwitchingProxy;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  database = await createScratchPostgresDatabase('meridian_two');
  proxy = await startSwitchingProxy();
  // What several processes must share besides the database: the public URL and the secrets.
  const shared = {
    PUBLIC_URL: proxy.url,
    COOKIE_SECRETS: randomBytes(32).toString('base64url'),
    PAIRWISE_SALT: randomBytes(32).toString('base64url'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  // One after the other: the first migrates the empty database and creates the signing keys.
  a = await startServer({ databaseUrl: database.url, env: shared });
  b = await startServer({ databaseUrl: database.url, env: shared });
  proxy.addBackend('A', a.url);
  proxy.addBackend('B', b.url);
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), proxy?.stop()]);
  await database?.drop();
});

async function createAccount(label: string): Promise<TestAccount> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const { stdout } = await a.cli(['accounts', 'create', '--email', email, '--password', password, '--region', 'JP', '--json']);
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<TestAccount, 'password'>), password };
}

/** The requests the proxy forwarded since `mark` (its length before). */
function servedSince(mark: number): string[] {
  return proxy.served.slice(mark);
}

const relyingParty = () => relyingPartyOf('demoWeb', proxy.url);
const authorization = (config: Configuration, extra: Record<string, string> = {}) => authorizationRequest(config, 'demoWeb', extra, { base: proxy.url });
const silentAuthorization = (browser: Browser, config: Configuration) => silentAuthorizationOf(browser, config, 'demoWeb', proxy.url);

describe('two server processes on one PostgreSQL database', () => {
  it('sign in on A, redeem the code on B, refresh on A, log out on B: the session is gone on A too', async () => {
    const account = await createAccount('two');
    const browser = new Browser(proxy.url);

    proxy.use('A');
    const config = await relyingParty();
    const pending = await authorization(config);
    let mark = proxy.served.length;
    const callback = await signInAndGetCallback(browser, pending, account);
    const signIn = servedSince(mark);
    expect(signIn.every((hop) => hop.startsWith('A ')), signIn.join('\n')).toBe(true);
    expect(signIn.some((hop) => /^A POST \/interaction\/[^/]+\/login$/.test(hop)), signIn.join('\n')).toBe(true);

    proxy.use('B');
    mark = proxy.served.length;
    const tokens = await exchangeCode(config, callback, pending);
    expect(servedSince(mark)).toEqual(['B POST /oidc/token']);
    expect(tokens.claims()?.sub).toBe(account.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    proxy.use('A');
    mark = proxy.served.length;
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(servedSince(mark)).toEqual(['A POST /oidc/token']);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(account.id);
    // The rotated refresh token is spent for B as well: reuse is refused there.
    proxy.use('B');
    expect((await oauthError(() => client.refreshTokenGrant(config, tokens.refresh_token!))).error).toBe('invalid_grant');

    // Before the logout the session is live on A: a silent authorization gets a code.
    proxy.use('A');
    expect(await silentAuthorization(browser, config)).toMatchObject({ error: null, code: expect.any(String) });

    proxy.use('B');
    mark = proxy.served.length;
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${proxy.url}/demo`, state });
    const response = await browser.request(endSession);
    await response.body?.cancel();
    // (Besides the demo relying party's back-channel logout endpoint, called through the balancer too.)
    expect(servedSince(mark).filter((hop) => hop.includes('/oidc/session/end'))).toEqual(['B GET /oidc/session/end']);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${proxy.url}/demo`);
    expect(location.searchParams.get('state')).toBe(state);

    proxy.use('A');
    expect(await silentAuthorization(browser, config)).toMatchObject({ error: 'login_required', code: null });
    const again = await authorization(config);
    const page = expectPage(await browser.navigate(again.url, { stopAt: again.redirectUri }), 'the sign-in page again');
    expect(page.url.pathname).toMatch(/^\/interaction\//);
    expect(page.html).toContain('name="password"');
  });

  it('counts failed sign-ins on both: failures split across A and B lock the account at the limit', async () => {
    const account = await createAccount('two-lockout');
    const browser = new Browser(proxy.url);
    proxy.use('A');
    const pending = await authorization(await relyingParty());
    const page = expectPage(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'the sign-in page');
    const uid = interactionUid(page.url);

    async function postCredentials(on: 'A' | 'B', password: string): Promise<string | null> {
      proxy.use(on);
      const res = await browser.request(`/interaction/${encodeURIComponent(uid)}/login`, { form: { email: account.email, password } });
      await res.body?.cancel();
      expect(res.status).toBe(303);
      return new URL(res.headers.get('location')!, proxy.url).searchParams.get('error');
    }

    // MAX_FAILURES - 1 failures, alternating: neither process alone has seen more than half of them.
    const errors: (string | null)[] = [];
    for (let i = 0; i < MAX_FAILURES - 1; i += 1) errors.push(await postCredentials(i % 2 === 0 ? 'A' : 'B', `wrong-password-${i}`));
    expect(errors).toEqual(Array(MAX_FAILURES - 1).fill('signin.invalid_credentials'));
    const last = MAX_FAILURES % 2 === 0 ? 'A' : 'B';
    expect(['signin.invalid_credentials', 'signin.locked']).toContain(await postCredentials(last, 'wrong-password-last'));

    // The limit is reached counting both: the right password is refused on either process.
    expect(await postCredentials('A', account.password)).toBe('signin.locked');
    expect(await postCredentials('B', account.password)).toBe('signin.locked');
  });

  it('serves a key rotated by the CLI on both processes within the stated window: a token of either verifies against the JWKS of both at every moment', { timeout: KEY_SWITCH_DEADLINE_MS + 60_000 }, async () => {
    // The JWKS of each process at its own port (the document holds no URL, so no PUBLIC_URL matters).
    const jwksOf = async (server: RunningServer) => {
      const res = await fetch(`${server.url}/oidc/jwks`);
      expect(res.status).toBe(200);
      return (await res.json()) as jose.JSONWebKeySet;
    };
    const es256Kids = (jwks: jose.JSONWebKeySet) => jwks.keys.filter((k) => k.kty === 'EC' && k.crv === 'P-256').map((k) => k.kid!);
    const serviceToken = async (on: 'A' | 'B') => {
      proxy.use(on);
      const config = await client.discovery(new URL(`${proxy.url}/oidc`), 'demo-service', {}, client.ClientSecretBasic('demo-service-secret-0123456789'), {
        execute: [client.allowInsecureRequests],
      });
      return (await client.clientCredentialsGrant(config, { scope: 'items:read', resource: `${proxy.url}/api/demo` })).access_token;
    };
    const verifies = (token: string, jwks: jose.JSONWebKeySet) => jose.jwtVerify(token, jose.createLocalJWKSet(jwks), { issuer: `${proxy.url}/oidc`, typ: 'at+jwt' }).then(
      () => true,
      () => false,
    );

    const before = await Promise.all([jwksOf(a), jwksOf(b)]);
    expect(es256Kids(before[1])).toEqual(es256Kids(before[0]));
    const oldToken = await serviceToken('A');
    const oldKid = jose.decodeProtectedHeader(oldToken).kid!;
    expect(es256Kids(before[0])).toContain(oldKid);

    const rotationStarted = Date.now();
    const { stdout } = await b.cli(['keys', 'rotate', '--json']);
    const rotation = JSON.parse(stdout.trim().split('\n').at(-1)!) as { added: string[]; retired: string[] };
    expect(rotation.added.length).toBeGreaterThanOrEqual(1);

    // Neither process is told: each re-reads on its own. Every second until both sign with the
    // new key: a token from each, checked against the JWKS of each, fetched after the token.
    const publishedAfter: Record<'A' | 'B', number | undefined> = { A: undefined, B: undefined };
    const signsNewAfter: Record<'A' | 'B', number | undefined> = { A: undefined, B: undefined };
    const failures: string[] = [];
    while (Date.now() - rotationStarted < KEY_SWITCH_DEADLINE_MS && (signsNewAfter.A === undefined || signsNewAfter.B === undefined)) {
      const requested = Date.now() - rotationStarted;
      // Each token with the time its answer arrived: it was signed before then.
      const tokenA = await serviceToken('A');
      const arrivedA = Date.now() - rotationStarted;
      const tokenB = await serviceToken('B');
      const arrived = { A: arrivedA, B: Date.now() - rotationStarted };
      const tokens = { A: tokenA, B: tokenB };
      const published = { A: await jwksOf(a), B: await jwksOf(b) };
      for (const on of ['A', 'B'] as const) {
        const kid = jose.decodeProtectedHeader(tokens[on]).kid!;
        if (rotation.added.includes(kid)) {
          signsNewAfter[on] ??= arrived[on];
          // Never before the stated delay after the rotation.
          expect(arrived[on], `${on} signed with a new key too early`).toBeGreaterThanOrEqual(NEW_KEY_SIGNS_FROM_MS);
        } else {
          expect(kid, `the key ${on} signs with before the switch`).toBe(oldKid);
        }
        if (publishedAfter[on] === undefined && es256Kids(published[on]).some((k) => rotation.added.includes(k))) publishedAfter[on] = Date.now() - rotationStarted;
        for (const by of ['A', 'B'] as const) {
          if (!(await verifies(tokens[on], published[by]))) failures.push(`${requested} ms: a token of ${on} (kid ${kid}) does not verify against the JWKS of ${by}`);
        }
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(failures).toEqual([]);
    expect(publishedAfter, `milliseconds until A and B published a new key (deadline ${KEY_PUBLISHED_DEADLINE_MS})`).toEqual({ A: expect.any(Number), B: expect.any(Number) });
    expect(Math.max(publishedAfter.A!, publishedAfter.B!)).toBeLessThan(KEY_PUBLISHED_DEADLINE_MS);
    expect(signsNewAfter, `milliseconds until A and B signed with a new key (deadline ${KEY_SWITCH_DEADLINE_MS})`).toEqual({ A: expect.any(Number), B: expect.any(Number) });

    // The old key stays published on both: what it signed before the rotation still verifies.
    const after = await Promise.all([jwksOf(a), jwksOf(b)]);
    expect(es256Kids(after[1]).sort()).toEqual(es256Kids(after[0]).sort());
    for (const jwks of after) {
      expect(es256Kids(jwks)).toContain(oldKid);
      await expect(verifies(oldToken, jwks)).resolves.toBe(true);
    }
  });
});

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
import { Browser, expectPage, expectRedirect } from './_support/browser';
import type { TestAccount } from './_support/cli';
import { type PendingAuthorization, client, exchangeCode, interactionUid, jose, oauthError, signInAndGetCallback } from './_support/oidc';
import { createScratchPostgresDatabase } from './_support/postgres';
import { type SwitchingProxy, startSwitchingProxy } from './_support/switching-proxy';

/** policies.sign_in_lockout.max_failures (the default; idp.config.yaml sets none). */
const MAX_FAILURES = 5;
/** README: a running server picks up keys rotated by the CLI within 30 s; the margin is for a loaded host. */
const KEY_PICKUP_DEADLINE_MS = 45_000;
const DEMO_WEB_SECRET = 'demo-web-secret-0123456789';

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

function relyingParty() {
  return client.discovery(new URL(`${proxy.url}/oidc`), 'demo-web', { redirect_uris: [`${proxy.url}/demo/callback`] }, client.ClientSecretBasic(DEMO_WEB_SECRET), {
    execute: [client.allowInsecureRequests],
  });
}

async function authorization(config: Configuration, extra: Record<string, string> = {}): Promise<PendingAuthorization> {
  const redirectUri = `${proxy.url}/demo/callback`;
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, state, nonce, verifier, redirectUri };
}

/** A prompt=none authorization: the error (login_required) or the code it comes back with. */
async function silentAuthorization(browser: Browser, config: Configuration) {
  const pending = await authorization(config, { prompt: 'none' });
  const back = expectRedirect(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'a prompt=none answer').location;
  return { error: back.searchParams.get('error'), code: back.searchParams.get('code') };
}

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

  it('serves a key rotated by the CLI on both processes within the stated window, and both sign with it', { timeout: KEY_PICKUP_DEADLINE_MS + 60_000 }, async () => {
    // The JWKS of each process at its own port (the document holds no URL, so no PUBLIC_URL matters).
    const es256Kids = async (server: RunningServer) => {
      const res = await fetch(`${server.url}/oidc/jwks`);
      expect(res.status).toBe(200);
      const jwks = (await res.json()) as jose.JSONWebKeySet;
      return jwks.keys.filter((k) => k.kty === 'EC' && k.crv === 'P-256').map((k) => k.kid!);
    };
    const serviceToken = async (on: 'A' | 'B') => {
      proxy.use(on);
      const config = await client.discovery(new URL(`${proxy.url}/oidc`), 'demo-service', {}, client.ClientSecretBasic('demo-service-secret-0123456789'), {
        execute: [client.allowInsecureRequests],
      });
      return (await client.clientCredentialsGrant(config, { scope: 'items:read', resource: `${proxy.url}/api/demo` })).access_token;
    };

    const before = await Promise.all([es256Kids(a), es256Kids(b)]);
    expect(before[1]).toEqual(before[0]);
    const oldToken = await serviceToken('A');
    expect(before[0]).toContain(jose.decodeProtectedHeader(oldToken).kid);

    const { stdout } = await b.cli(['keys', 'rotate', '--json']);
    const rotation = JSON.parse(stdout.trim().split('\n').at(-1)!) as { added: string[]; retired: string[] };
    expect(rotation.added.length).toBeGreaterThanOrEqual(1);
    const rotatedAt = Date.now();

    // Neither process is told: each notices on its own (the check runs behind requests).
    const pickedUpAfter = await Promise.all(
      [a, b].map(async (server) => {
        while (Date.now() - rotatedAt < KEY_PICKUP_DEADLINE_MS) {
          if ((await es256Kids(server)).some((kid) => rotation.added.includes(kid))) return Date.now() - rotatedAt;
          await new Promise((r) => setTimeout(r, 1000));
        }
        return undefined;
      }),
    );
    expect(pickedUpAfter, `milliseconds until A and B published a new key (deadline ${KEY_PICKUP_DEADLINE_MS})`).toEqual([expect.any(Number), expect.any(Number)]);

    const after = await Promise.all([es256Kids(a), es256Kids(b)]);
    expect(after[1]).toEqual(after[0]);
    const oldKid = jose.decodeProtectedHeader(oldToken).kid!;
    expect(after[0]).toContain(oldKid);
    const published = jose.createLocalJWKSet({ keys: ((await (await fetch(`${b.url}/oidc/jwks`)).json()) as jose.JSONWebKeySet).keys });
    await expect(jose.jwtVerify(oldToken, published, { issuer: `${proxy.url}/oidc`, typ: 'at+jwt' })).resolves.toBeDefined();

    for (const on of ['A', 'B'] as const) {
      const token = await serviceToken(on);
      const kid = jose.decodeProtectedHeader(token).kid!;
      expect(rotation.added, `the key ${on} signs with`).toContain(kid);
      await expect(jose.jwtVerify(token, published, { issuer: `${proxy.url}/oidc`, typ: 'at+jwt' })).resolves.toBeDefined();
    }
  });
});

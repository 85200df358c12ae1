/**
 * The production build under `next start` alone, without server.mjs (issue 32 point 5): the route
 * handler app/oidc/[...path]/route.ts is the door into the provider, and it is complete (code flow,
 * refresh, logout) and safe (a client-sent client-IP header is not believed).
 *
 * Start-up under `next start`: Next.js listens before it loads instrumentation.ts, so its start-up
 * checks run right after the port opens, before any request is answered (requests wait for them),
 * rather than before listening as under server.mjs; a bad setup still ends the process with exit
 * code 1 and the reason.
 */
import { randomUUID } from 'node:crypto';
import type { Configuration } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, runServerExpectingExit, startServer } from '../support/server-process';
import { Browser, expectPage } from './_support/browser';
import type { TestAccount } from './_support/cli';
import { authorizationRequest, client, relyingParty as relyingPartyOf, silentAuthorization as silentAuthorizationOf, exchangeCode, oauthError, signInAndGetCallback } from './_support/oidc';

/** policies.sign_in_lockout.ip_max_failures (the default): failed client authentications per IP. */
const IP_MAX_FAILURES = 50;
const MARKETPLACE_SECRET = 'marketplace-backend-secret-0123456789';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ servedBy: 'next start' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function createAccount(label: string): Promise<TestAccount> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const { stdout } = await server.cli(['accounts', 'create', '--email', email, '--password', password, '--region', 'JP', '--json']);
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<TestAccount, 'password'>), password };
}

const relyingParty = () => relyingPartyOf('demoWeb', server.url);
const authorization = (config: Configuration, extra: Record<string, string> = {}) => authorizationRequest(config, 'demoWeb', extra, { base: server.url });
const silentAuthorization = (browser: Browser, config: Configuration) => silentAuthorizationOf(browser, config, 'demoWeb', server.url);

/** A client credentials request with a forged client IP: the internal header, a guessed secret, forwarding headers. */
async function clientCredentials(clientId: string, secret: string, forgedIp: string, on: RunningServer = server): Promise<{ status: number; error?: string; description?: string }> {
  const res = await fetch(`${on.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'x-meridian-client-ip': forgedIp,
      'x-meridian-client-ip-proof': 'guessed',
      'x-forwarded-for': forgedIp,
      'x-real-ip': forgedIp,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${on.url}/api/demo`, scope: 'items:read' }),
  });
  const body = (await res.json()) as { error?: string; error_description?: string };
  return { status: res.status, error: body.error, description: body.error_description };
}

describe('next start without server.mjs', () => {
  it('is what answers: Next.js serves, server.mjs never started', () => {
    expect(server.output()).not.toContain('Meridian ID listening');
    expect(server.output()).toMatch(/Next\.js/);
  });

  it('runs a code flow, a refresh and a logout through the route handler', async () => {
    const account = await createAccount('next-start');
    const browser = new Browser(server.url);
    const config = await relyingParty();
    expect(config.serverMetadata().issuer).toBe(`${server.url}/oidc`);

    const pending = await authorization(config);
    const callback = await signInAndGetCallback(browser, pending, account);
    const tokens = await exchangeCode(config, callback, pending);
    expect(tokens.claims()?.sub).toBe(account.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, account.id);
    expect(userinfo.email).toBe(account.email);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(account.id);
    expect((await oauthError(() => client.refreshTokenGrant(config, tokens.refresh_token!))).error).toBe('invalid_grant');

    expect(await silentAuthorization(browser, config)).toMatchObject({ error: null, code: expect.any(String) });
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${server.url}/demo`, state });
    const response = await browser.request(endSession);
    await response.body?.cancel();
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${server.url}/demo`);
    expect(location.searchParams.get('state')).toBe(state);
    expect(await silentAuthorization(browser, config)).toMatchObject({ error: 'login_required', code: null });
    const again = await authorization(config);
    expect(expectPage(await browser.navigate(again.url, { stopAt: again.redirectUri }), 'the sign-in page again').url.pathname).toMatch(/^\/interaction\//);
  });

  it('does not believe a client-sent client IP: failures under ever-new forged addresses lock the real one', async () => {
    // Each failure claims another address; believed, none would reach the limit.
    for (let i = 0; i < IP_MAX_FAILURES - 1; i++) {
      expect((await clientCredentials(`no-such-client-${i}`, 'wrong-secret-0123456789', `192.0.2.${i + 1}`)).status).toBe(401);
    }
    expect((await clientCredentials('marketplace-backend', MARKETPLACE_SECRET, '198.51.100.1')).status).toBe(200);
    expect((await clientCredentials('no-such-client-last', 'wrong-secret-0123456789', '198.51.100.2')).status).toBe(401);
    expect(await clientCredentials('marketplace-backend', MARKETPLACE_SECRET, '198.51.100.3')).toMatchObject({
      status: 401,
      error: 'invalid_client',
      description: 'too many failed client authentications: try again later',
    });
  });

  it('takes the address a trusted proxy forwards (TRUSTED_PROXY_IPS): the same stamp as under server.mjs', async () => {
    const behindProxy = await startServer({ servedBy: 'next start', env: { TRUSTED_PROXY_IPS: '127.0.0.1,::1' } });
    try {
      // Each failure comes, through the trusted proxy (this test), from another client: no lock.
      for (let i = 0; i < IP_MAX_FAILURES; i++) {
        expect((await clientCredentials(`no-such-client-${i}`, 'wrong-secret-0123456789', `192.0.2.${i + 1}`, behindProxy)).status).toBe(401);
      }
      expect((await clientCredentials('marketplace-backend', MARKETPLACE_SECRET, '198.51.100.1', behindProxy)).status).toBe(200);
    } finally {
      await behindProxy.stop();
    }
  });

  it('still refuses a bad setup at start: published secrets in production end it with the reason', async () => {
    const start = await runServerExpectingExit({ servedBy: 'next start' });
    expect(start.exitCode, start.output).toBe(1);
    expect(start.output).toContain('Meridian ID cannot start');
    expect(start.output).toContain('refusing to start in production with known or weak secrets');
  });
});

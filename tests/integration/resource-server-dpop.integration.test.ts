import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration, DPoPHandle } from 'openid-client';
import { createResourceServerGuard } from '@/lib/resource-server/resource-server-guard';
import { Browser, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, client, issuer, jose, relyingParty, submitSignIn } from './_support/oidc';

/**
 * DPoP end to end (RFC 9449): openid-client gets DPoP-bound tokens from our authorization server
 * (`client.getDPoPHandle`) and calls the demo resource server with them, as a native or
 * server-side app hardened against token theft would. A stolen token (presented as Bearer, or
 * with a proof of another key) and a captured proof (replayed) are refused.
 */

const resource = () => `${baseUrl()}/api/demo`;
const ITEMS = () => new URL(`${baseUrl()}/api/demo/items`);
const STATEMENTS = () => new URL(`${baseUrl()}/api/demo/fintech/statements`);
const ALGS = 'ES256 EdDSA Ed25519';

let jp: TestAccount;
const browser = () => new Browser(baseUrl());

/** The requests openid-client sent through a Configuration (to replay one as an attacker would). */
type Sent = { url: string; method: string; headers: Record<string, string> };

async function recordingRelyingParty(name: 'demoWeb' | 'demoService'): Promise<{ config: Configuration; sent: Sent[] }> {
  const config = await relyingParty(name);
  const sent: Sent[] = [];
  config[client.customFetch] = (url, options) => {
    sent.push({ url, method: options.method, headers: { ...(options.headers as Record<string, string>) } });
    return fetch(url, options as RequestInit);
  };
  return { config, sent };
}

async function dpopHandle(config: Configuration): Promise<{ handle: DPoPHandle; jkt: string }> {
  const keyPair = await client.randomDPoPKeyPair('ES256');
  return { handle: client.getDPoPHandle(config, keyPair), jkt: await jose.calculateJwkThumbprint(await jose.exportJWK(keyPair.publicKey)) };
}

/** A JP user's DPoP-bound token for the demo API from demo-web (code + PKCE, resource indicator, DPoP at the token endpoint). */
async function dpopUserToken(config: Configuration, handle: DPoPHandle, scope: string) {
  const pending = await authorizationRequest(config, 'demoWeb', { scope: `openid ${scope}`, resource: resource() });
  const b = browser();
  let landing = await b.navigate(pending.url, { stopAt: pending.redirectUri });
  if (landing.kind === 'page') landing = await submitSignIn(b, landing, jp, pending.redirectUri);
  const callback = expectRedirect(landing, 'the redirect to demo-web').location;
  return client.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
    { resource: resource() },
    { DPoP: handle },
  );
}

/** The challenge openid-client surfaces for a 401 (it refuses to hand back a challenged response). */
async function refusal(call: () => Promise<Response>): Promise<{ status: number; challenge: string | null; body: unknown }> {
  try {
    const res = await call();
    throw new Error(`expected a refusal, got ${res.status}`);
  } catch (e) {
    if (!(e instanceof client.WWWAuthenticateChallengeError)) throw e;
    return { status: e.status, challenge: e.response.headers.get('www-authenticate'), body: await e.response.json() };
  }
}

async function rawCall(url: URL, headers: Record<string, string>) {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as Record<string, unknown> };
}

const dpopChallenge = (error: string, description: string) => `DPoP realm="${resource()}", error="${error}", error_description="${description}", algs="${ALGS}"`;

let web: { config: Configuration; sent: Sent[] };
let holder: { handle: DPoPHandle; jkt: string };
let userToken: string;

beforeAll(async () => {
  jp = await createAccount('dpop-jp', { region: 'JP' });
  web = await recordingRelyingParty('demoWeb');
  holder = await dpopHandle(web.config);
  const tokens = await dpopUserToken(web.config, holder.handle, 'items:read fintech:read');
  userToken = tokens.access_token;
  expect(tokens.token_type.toLowerCase()).toBe('dpop');
});

afterAll(() => {
  web.sent.length = 0;
});

describe('DPoP-bound tokens at the demo resource server', () => {
  it('discovery advertises DPoP and the token is bound to the client key (cnf.jkt)', async () => {
    const metadata = (await (await fetch(`${issuer()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256']));
    expect(jose.decodeJwt(userToken)).toMatchObject({ aud: resource(), sub: jp.id, country_region_code: 'JP', cnf: { jkt: holder.jkt } });
  });

  it('accepted with a valid proof (openid-client) at the items endpoint and at the DPoP-only statements endpoint', async () => {
    const items = await client.fetchProtectedResource(web.config, userToken, ITEMS(), 'GET', undefined, undefined, { DPoP: holder.handle });
    expect(items.status).toBe(200);
    expect(((await items.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const statements = await client.fetchProtectedResource(web.config, userToken, STATEMENTS(), 'GET', undefined, undefined, { DPoP: holder.handle });
    expect(statements.status).toBe(200);
    expect(await statements.json()).toMatchObject({ account: jp.id, currency: 'JPY' });
    // Every call carried a fresh proof with the DPoP scheme.
    const calls = web.sent.filter((s) => s.url.includes('/api/demo/'));
    expect(calls.map((c) => c.headers.authorization?.split(' ')[0])).toEqual(['DPoP', 'DPoP']);
    expect(new Set(calls.map((c) => c.headers.dpop)).size).toBe(2);
  });

  it('a captured request replayed (same token, same proof) → 401 invalid_dpop_proof', async () => {
    web.sent.length = 0;
    expect((await client.fetchProtectedResource(web.config, userToken, ITEMS(), 'GET', undefined, undefined, { DPoP: holder.handle })).status).toBe(200);
    const captured = web.sent.find((s) => s.url === ITEMS().href);
    if (!captured?.headers.dpop) throw new Error('the DPoP request was not recorded');
    const replay = await rawCall(ITEMS(), { authorization: captured.headers.authorization!, dpop: captured.headers.dpop });
    expect(replay).toMatchObject({ status: 401, challenge: dpopChallenge('invalid_dpop_proof', 'the DPoP proof was already used (jti)'), body: { error: 'invalid_dpop_proof' } });
  });

  it('the token with a proof from another key (a thief with their own key) → 401 invalid_token', async () => {
    const thief = await dpopHandle(web.config);
    const refused = await refusal(() => client.fetchProtectedResource(web.config, userToken, ITEMS(), 'GET', undefined, undefined, { DPoP: thief.handle }));
    expect(refused).toMatchObject({ status: 401, challenge: dpopChallenge('invalid_token', 'the access token is bound to another DPoP key (cnf.jkt)'), body: { error: 'invalid_token' } });
  });

  it('the DPoP-bound token presented as a bearer token → 401 invalid_token', async () => {
    const refused = await refusal(() => client.fetchProtectedResource(web.config, userToken, ITEMS(), 'GET'));
    expect(refused).toMatchObject({
      status: 401,
      challenge: dpopChallenge('invalid_token', 'a DPoP-bound access token must be sent with the DPoP scheme and a DPoP proof'),
      body: { error: 'invalid_token' },
    });
  });

  it('a proof made for another endpoint → 401 invalid_dpop_proof (htu)', async () => {
    web.sent.length = 0;
    await client.fetchProtectedResource(web.config, userToken, STATEMENTS(), 'GET', undefined, undefined, { DPoP: holder.handle });
    const forStatements = web.sent.find((s) => s.url === STATEMENTS().href)!;
    const moved = await rawCall(ITEMS(), { authorization: forStatements.headers.authorization!, dpop: forStatements.headers.dpop! });
    expect(moved).toMatchObject({ status: 401, challenge: dpopChallenge('invalid_dpop_proof', 'the DPoP proof is for another URL (htu)') });
  });

  it('a bearer token at the DPoP-only endpoint → 401 with a DPoP challenge; it still works where DPoP is optional', async () => {
    const service = await relyingParty('demoService');
    const { access_token: bearer, token_type } = await client.clientCredentialsGrant(service, { scope: 'items:read', resource: resource() });
    expect(token_type.toLowerCase()).toBe('bearer');
    expect((await rawCall(ITEMS(), { authorization: `Bearer ${bearer}` })).status).toBe(200);
    const refused = await rawCall(STATEMENTS(), { authorization: `Bearer ${bearer}` });
    expect(refused).toMatchObject({ status: 401, challenge: dpopChallenge('invalid_token', 'this endpoint requires a DPoP-bound access token') });
    expect(await rawCall(STATEMENTS(), {})).toMatchObject({ status: 401, challenge: `DPoP realm="${resource()}", algs="${ALGS}"`, body: { error: 'missing_token' } });
  });

  it('a client-credentials token bound with DPoP, checked by the library on its own in this process as well', async () => {
    const service = await recordingRelyingParty('demoService');
    const { handle, jkt } = await dpopHandle(service.config);
    const { access_token: token } = await client.clientCredentialsGrant(service.config, { scope: 'items:read', resource: resource() }, { DPoP: handle });
    expect(jose.decodeJwt(token).cnf).toEqual({ jkt });
    expect((await client.fetchProtectedResource(service.config, token, ITEMS(), 'GET', undefined, undefined, { DPoP: handle })).status).toBe(200);
    const captured = service.sent.find((s) => s.url === ITEMS().href)!;
    const standalone = createResourceServerGuard({
      issuer: issuer(),
      audience: resource(),
      jwksUri: `${issuer()}/jwks`,
      publicOrigin: baseUrl(),
      endpoints: [{ method: 'GET', path: '/api/demo/items', scopes: ['items:read'] }],
    });
    const call = { method: 'GET', path: '/api/demo/items', authorization: captured.headers.authorization, dpop: captured.headers.dpop };
    expect((await standalone.authorize(call)).ok).toBe(true);
    expect(await standalone.authorize(call)).toMatchObject({ ok: false, status: 401, error: 'invalid_dpop_proof' });
  });
});

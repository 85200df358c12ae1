import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb } from '@/lib/infra/db/client';
import { loadSigningKeys } from '@/lib/infra/keys/signing-key-store';
import { createResourceServerGuard, type AuthorizeResult, type ResourceServerGuard } from '@/lib/resource-server/resource-server-guard';
import { Browser, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, client, issuer, jose, relyingParty, submitSignIn } from './_support/oidc';

/**
 * lib/resource-server against the production build and its real JWKS, two ways: the demo
 * resource server inside the app (/api/demo/…, rules from idp.config.yaml) over HTTP, and the
 * library used on its own in this process, as a separate Node service would. Each case names
 * the exact status, error code and WWW-Authenticate challenge.
 */

const resource = () => `${baseUrl()}/api/demo`;
const realm = () => resource();

type Call = { method: 'GET' | 'POST'; path: string; body?: unknown };
const ITEMS: Call = { method: 'GET', path: '/api/demo/items' };
const NEW_ITEM: Call = { method: 'POST', path: '/api/demo/items', body: { name: 'Kettle', price: 3000, currency: 'JPY' } };
const BALANCE: Call = { method: 'GET', path: '/api/demo/fintech/balance' };
const TRANSFER: Call = { method: 'POST', path: '/api/demo/fintech/transfers', body: { to: 'friend', amount: 1000 } };

async function callApi(call: Call, token: string | undefined): Promise<{ status: number; challenge: string | null; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (call.body) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl()}${call.path}`, { method: call.method, headers, body: call.body ? JSON.stringify(call.body) : undefined });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as Record<string, unknown> };
}

/** The library on its own, configured like the demo API (as another service would be). */
let standalone: ResourceServerGuard;
const callStandalone = (call: Call, token: string | undefined): Promise<AuthorizeResult> =>
  standalone.authorize({ method: call.method, path: call.path, authorization: token === undefined ? undefined : `Bearer ${token}` });

type Expected = { status: number; error: string; challenge: string | null };

/** Same answer from the app's demo API and from the standalone guard. */
async function expectDenied(call: Call, token: string | undefined, expected: Expected) {
  const http = await callApi(call, token);
  expect({ status: http.status, error: http.body.error, challenge: http.challenge }, `${call.method} ${call.path} over HTTP`).toEqual(expected);
  expect(http.body.error_description).toEqual(expect.any(String));
  const local = await callStandalone(call, token);
  if (local.ok) throw new Error('the standalone guard granted access');
  expect({ status: local.status, error: local.error, challenge: local.headers['www-authenticate'] ?? null }, 'standalone guard').toEqual(expected);
}

const invalidToken = (description: string): Expected => ({
  status: 401,
  error: 'invalid_token',
  challenge: `Bearer realm="${realm()}", error="invalid_token", error_description="${description}"`,
});

let jp: TestAccount;
let tw: TestAccount;
const browsers = new Map<string, Browser>();

/**
 * A user access token for the demo API from demo-web (code + PKCE, resource indicator). The
 * first call per account signs in; later ones reuse the SSO session.
 */
async function userTokens(account: TestAccount, scope: string) {
  let browser = browsers.get(account.id);
  if (!browser) browsers.set(account.id, (browser = new Browser(baseUrl())));
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb', { scope: `openid ${scope}`, resource: resource() });
  let landing = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
  if (landing.kind === 'page') landing = await submitSignIn(browser, landing, account, pending.redirectUri);
  const callback = expectRedirect(landing, 'the redirect to demo-web').location;
  return client.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
    { resource: resource() },
  );
}

async function userToken(account: TestAccount, scope: string): Promise<string> {
  return (await userTokens(account, scope)).access_token;
}

async function serviceToken(): Promise<string> {
  const config = await relyingParty('demoService');
  return (await client.clientCredentialsGrant(config, { scope: 'items:read', resource: resource() })).access_token;
}

/** The server's real signing keys, read from its database (to forge tokens only its keys could sign). */
let keys: { es256: jose.JWK; rs256Kid: string };

async function forge(payload: jose.JWTPayload, header: Partial<jose.JWTHeaderParameters> = {}): Promise<string> {
  const key = await jose.importJWK(keys.es256, 'ES256');
  return new jose.SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: keys.es256.kid, typ: 'at+jwt', ...header }).sign(key);
}

/** A valid JP user token for GET /api/demo/items, and its claims (the base of the forged ones). */
let validToken: string;
let claimsOfValid: jose.JWTPayload;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  [jp, tw] = await Promise.all([createAccount('rs-jp', { region: 'JP' }), createAccount('rs-tw', { region: 'TW' })]);
  const db = createDb(inject('serverEnv').DATABASE_URL!);
  try {
    const { privateJwks } = await loadSigningKeys(db);
    const es256 = privateJwks.find((k) => k.alg === 'ES256');
    const rs256 = privateJwks.find((k) => k.alg === 'RS256');
    if (!es256 || !rs256) throw new Error('the server has no ES256/RS256 key');
    keys = { es256, rs256Kid: rs256.kid! };
  } finally {
    await db.$disconnect();
  }
  validToken = await userToken(jp, 'items:read');
  claimsOfValid = jose.decodeJwt(validToken);
  standalone = createResourceServerGuard({
    issuer: issuer(),
    audience: resource(),
    jwksUri: `${issuer()}/jwks`,
    endpoints: [
      { method: 'GET', path: '/api/demo/items', scopes: ['items:read'] },
      { method: 'POST', path: '/api/demo/items', scopes: ['items:write'] },
      { method: 'GET', path: '/api/demo/fintech/balance', regions: ['JP'], scopes: ['fintech:read'] },
      { method: 'POST', path: '/api/demo/fintech/transfers', regions: ['JP'], scopes: ['fintech:write'], acr: 'urn:meridian:aal2' },
    ],
  });
});

afterAll(() => {
  browsers.clear();
});

describe('demo resource server: access granted', () => {
  it('a valid user token with the scope → 200 with the same payload as the unverified twin', async () => {
    const token = validToken;
    expect(claimsOfValid).toMatchObject({ aud: resource(), iss: issuer(), scope: 'items:read', country_region_code: 'JP', acr: 'urn:meridian:aal1', client_id: 'demo-web', sub: jp.id });

    const http = await callApi(ITEMS, token);
    expect(http.status).toBe(200);
    const twin = await fetch(`${baseUrl()}/api/demo/items-unverified`);
    expect(http.body).toEqual(await twin.json());
    expect((http.body.items as unknown[]).length).toBeGreaterThan(0);

    const local = await callStandalone(ITEMS, token);
    expect(local.ok && local.token).toMatchObject({ sub: jp.id, clientId: 'demo-web', region: 'JP', acr: 'urn:meridian:aal1' });
  });

  it('the JP-only balance for a JP account with fintech:read → 200', async () => {
    const token = await userToken(jp, 'fintech:read');
    const http = await callApi(BALANCE, token);
    expect(http.status).toBe(200);
    expect(http.body).toMatchObject({ account: jp.id, region: 'JP', currency: 'JPY' });
    expect((await callStandalone(BALANCE, token)).ok).toBe(true);
  });

  it('items:write lets a user list an item (POST → 201)', async () => {
    const http = await callApi(NEW_ITEM, await userToken(jp, 'items:write'));
    expect(http.status).toBe(201);
    expect(http.body.item).toMatchObject({ name: 'Kettle', seller: jp.id, seller_region: 'JP' });
  });

  it('a client-credentials token passes the region-free items endpoint', async () => {
    const token = await serviceToken();
    expect((await callApi(ITEMS, token)).status).toBe(200);
    await expectDenied(BALANCE, token, {
      status: 403,
      error: 'region_not_supported',
      challenge: `Bearer realm="${realm()}", error="region_not_supported", error_description="this endpoint is not available to tokens without a user region"`,
    });
  });
});

describe('demo resource server: refusals', () => {
  it('no token → 401 with a plain Bearer realm challenge', async () => {
    await expectDenied(ITEMS, undefined, { status: 401, error: 'missing_token', challenge: `Bearer realm="${realm()}"` });
  });

  it('expired → 401 invalid_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await forge({ ...claimsOfValid, iat: now - 1200, exp: now - 600 });
    await expectDenied(ITEMS, token, invalidToken('the access token expired'));
  });

  it('wrong audience → 401 invalid_token (a token for another API, signed by the real key)', async () => {
    const token = await forge({ ...claimsOfValid, aud: 'https://payments.example.com/api' });
    await expectDenied(ITEMS, token, invalidToken('the access token is not for this resource server'));
  });

  it('an ID token is not an access token → 401 invalid_token', async () => {
    const { id_token: idToken } = await userTokens(jp, 'items:read');
    await expectDenied(ITEMS, idToken!, invalidToken('not an access token (typ must be at+jwt)'));
  });

  it('wrong kid (a key that is not in the JWKS) → 401 invalid_token', async () => {
    const { privateKey } = await jose.generateKeyPair('ES256');
    const token = await new jose.SignJWT(claimsOfValid).setProtectedHeader({ alg: 'ES256', kid: 'not-in-the-jwks', typ: 'at+jwt' }).sign(privateKey);
    await expectDenied(ITEMS, token, invalidToken('the access token was signed with an unknown key'));
  });

  it('a real kid but another key (signature does not verify) → 401 invalid_token', async () => {
    const { privateKey } = await jose.generateKeyPair('ES256');
    const token = await new jose.SignJWT(claimsOfValid).setProtectedHeader({ alg: 'ES256', kid: keys.es256.kid, typ: 'at+jwt' }).sign(privateKey);
    await expectDenied(ITEMS, token, invalidToken('the signature does not verify'));
  });

  it('alg none → 401 invalid_token', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: keys.es256.kid })}.${b64(claimsOfValid)}.`;
    await expectDenied(ITEMS, token, invalidToken('the signing algorithm is not allowed'));
  });

  it('HS256 signed with the public key (key confusion) → 401 invalid_token', async () => {
    // The published RS256 key, as PEM and as JSON: what a confused verifier would use as the HMAC secret.
    const published = (await (await fetch(`${issuer()}/jwks`)).json()) as jose.JSONWebKeySet;
    const rsJwk = published.keys.find((k) => k.kid === keys.rs256Kid)!;
    const pem = await jose.exportSPKI((await jose.importJWK(rsJwk, 'RS256')) as CryptoKey);
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: rsJwk.kid })}.${b64(claimsOfValid)}`;
    for (const secret of [pem, JSON.stringify(rsJwk)]) {
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      await expectDenied(ITEMS, token, invalidToken('the signing algorithm is not allowed'));
    }
  });

  it('wrong region → 403 region_not_supported (TW account at the JP-only balance)', async () => {
    const token = await userToken(tw, 'fintech:read');
    expect(jose.decodeJwt(token)).toMatchObject({ country_region_code: 'TW', scope: 'fintech:read' });
    await expectDenied(BALANCE, token, {
      status: 403,
      error: 'region_not_supported',
      challenge: `Bearer realm="${realm()}", error="region_not_supported", error_description="this endpoint is not available to accounts in TW"`,
    });
  });

  it('missing scope → 403 insufficient_scope with scope="…"', async () => {
    const token = await userToken(jp, 'items:read');
    await expectDenied(NEW_ITEM, token, {
      status: 403,
      error: 'insufficient_scope',
      challenge: `Bearer realm="${realm()}", error="insufficient_scope", error_description="the access token lacks the scope items:write", scope="items:write"`,
    });
  });

  it('acr too low → 401 insufficient_user_authentication with acr_values (RFC 9470)', async () => {
    const token = await userToken(jp, 'fintech:write');
    expect(jose.decodeJwt(token)).toMatchObject({ acr: 'urn:meridian:aal1', scope: 'fintech:write' });
    await expectDenied(TRANSFER, token, {
      status: 401,
      error: 'insufficient_user_authentication',
      challenge: `Bearer realm="${realm()}", error="insufficient_user_authentication", error_description="a stronger authentication is required (urn:meridian:aal2)", acr_values="urn:meridian:aal2"`,
    });
    // The same token stepped up (forged here: step-up sign-in is not built yet) is accepted.
    const stepped = await forge({ ...jose.decodeJwt(token), acr: 'urn:meridian:aal2' });
    expect((await callApi(TRANSFER, stepped)).status).toBe(201);
  });
});

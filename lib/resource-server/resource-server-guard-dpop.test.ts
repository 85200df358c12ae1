import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResourceServerGuard, type AuthorizeInput, type AuthorizeResult, type ResourceServerGuardOptions } from './resource-server-guard';

/** The guard with DPoP-bound tokens (RFC 9449): real keys, real tokens, real proofs. */

const ISSUER = 'https://id.example.com/oidc';
const AUDIENCE = 'https://api.example.com';
const ORIGIN = 'https://api.example.com';
const ALGS = 'ES256 EdDSA';
const nowS = () => Math.floor(Date.now() / 1000);

let issuerKey: { privateKey: CryptoKey; jwk: JWK };
let client: { privateKey: CryptoKey; jwk: JWK; jkt: string };
let stranger: { privateKey: CryptoKey; jwk: JWK; jkt: string };

async function dpopKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  issuerKey = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' } };
  [client, stranger] = await Promise.all([dpopKey(), dpopKey()]);
});

function accessToken(extra: JWTPayload = {}): Promise<string> {
  return new SignJWT({ client_id: 'demo-web', scope: 'items:read', country_region_code: 'JP', acr: 'urn:meridian:aal1', auth_time: nowS(), ...extra })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('account-1')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(issuerKey.privateKey);
}

const bound = () => accessToken({ cnf: { jkt: client.jkt } });

let jti = 0;
function proofFor(key: { privateKey: CryptoKey; jwk: JWK }, token: string, htm = 'GET', htu = `${ORIGIN}/items`): Promise<string> {
  jti += 1;
  return new SignJWT({ htm, htu, iat: nowS(), jti: `p-${jti}`, ath: createHash('sha256').update(token).digest('base64url') })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk })
    .sign(key.privateKey);
}

const ENDPOINTS: ResourceServerGuardOptions['endpoints'] = [
  { method: 'GET', path: '/items', scopes: ['items:read'] },
  { method: 'GET', path: '/statements', scopes: ['items:read'], dpop: 'required' },
  { method: 'POST', path: '/transfers', scopes: ['items:read'], acr: 'urn:meridian:aal2' },
];

function guard(extra: Partial<ResourceServerGuardOptions> = {}) {
  return createResourceServerGuard({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [issuerKey.jwk] }, endpoints: ENDPOINTS, publicOrigin: ORIGIN, dpopAlgorithms: ['ES256', 'EdDSA'], ...extra });
}

async function dpopCall(token: string, proof: string | undefined, path = '/items', method = 'GET'): Promise<AuthorizeInput> {
  return { method, path, authorization: `DPoP ${token}`, dpop: proof };
}

function expectDenied(result: AuthorizeResult, status: number, error: string, challenge: string) {
  if (result.ok) throw new Error(`expected ${error}, got access`);
  expect({ status: result.status, error: result.error, challenge: result.headers['www-authenticate'] }).toEqual({ status, error, challenge });
}

const dpopChallenge = (error: string, description: string) => `DPoP realm="${AUDIENCE}", error="${error}", error_description="${description}", algs="${ALGS}"`;

describe('resource server guard: DPoP-bound tokens', () => {
  it('a DPoP-bound token with a valid proof → granted, at optional and required endpoints', async () => {
    const g = guard();
    const token = await bound();
    const items = await g.authorize(await dpopCall(token, await proofFor(client, token)));
    expect(items.ok && items.token).toMatchObject({ sub: 'account-1', jkt: client.jkt });
    expect((await g.authorize(await dpopCall(token, await proofFor(client, token, 'GET', `${ORIGIN}/statements`), '/statements'))).ok).toBe(true);
  });

  it('the same proof again → 401 invalid_dpop_proof, DPoP challenge with algs', async () => {
    const g = guard();
    const token = await bound();
    const call = await dpopCall(token, await proofFor(client, token));
    expect((await g.authorize(call)).ok).toBe(true);
    expectDenied(await g.authorize(call), 401, 'invalid_dpop_proof', dpopChallenge('invalid_dpop_proof', 'the DPoP proof was already used (jti)'));
  });

  it('a proof by another key → 401 invalid_token (the token is bound to the client key)', async () => {
    const token = await bound();
    expectDenied(await guard().authorize(await dpopCall(token, await proofFor(stranger, token))), 401, 'invalid_token', dpopChallenge('invalid_token', 'the access token is bound to another DPoP key (cnf.jkt)'));
  });

  it('a proof for another method, URL or token → 401 invalid_dpop_proof', async () => {
    const token = await bound();
    const g = guard();
    expectDenied(await g.authorize(await dpopCall(token, await proofFor(client, token, 'POST'))), 401, 'invalid_dpop_proof', dpopChallenge('invalid_dpop_proof', 'the DPoP proof is for another HTTP method (htm)'));
    expectDenied(await g.authorize(await dpopCall(token, await proofFor(client, token, 'GET', `${ORIGIN}/statements`))), 401, 'invalid_dpop_proof', dpopChallenge('invalid_dpop_proof', 'the DPoP proof is for another URL (htu)'));
    expectDenied(await g.authorize(await dpopCall(token, await proofFor(client, await bound()))), 401, 'invalid_dpop_proof', dpopChallenge('invalid_dpop_proof', 'the DPoP proof is for another access token (ath)'));
  });

  it('no proof → 401 invalid_dpop_proof', async () => {
    expectDenied(await guard().authorize(await dpopCall(await bound(), undefined)), 401, 'invalid_dpop_proof', dpopChallenge('invalid_dpop_proof', 'a DPoP proof is required with a DPoP-bound access token'));
  });

  it('a DPoP-bound token presented as Bearer (even with a valid proof) → 401 invalid_token with a DPoP challenge', async () => {
    const token = await bound();
    const result = await guard().authorize({ method: 'GET', path: '/items', authorization: `Bearer ${token}`, dpop: await proofFor(client, token) });
    expectDenied(result, 401, 'invalid_token', dpopChallenge('invalid_token', 'a DPoP-bound access token must be sent with the DPoP scheme and a DPoP proof'));
  });

  it('a bearer token: fine as Bearer at an optional endpoint, refused with the DPoP scheme and at a required endpoint', async () => {
    const g = guard();
    const token = await accessToken();
    expect((await g.authorize({ method: 'GET', path: '/items', authorization: `Bearer ${token}` })).ok).toBe(true);
    expectDenied(await g.authorize(await dpopCall(token, await proofFor(client, token))), 401, 'invalid_token', dpopChallenge('invalid_token', 'the access token is not DPoP-bound: send it with the Bearer scheme'));
    expectDenied(await g.authorize({ method: 'GET', path: '/statements', authorization: `Bearer ${token}` }), 401, 'invalid_token', dpopChallenge('invalid_token', 'this endpoint requires a DPoP-bound access token'));
  });

  it('no token at a DPoP-required endpoint → DPoP challenge with algs; at an optional one, Bearer', async () => {
    expectDenied(await guard().authorize({ method: 'GET', path: '/statements', authorization: undefined }), 401, 'missing_token', `DPoP realm="${AUDIENCE}", algs="${ALGS}"`);
    expectDenied(await guard().authorize({ method: 'GET', path: '/items', authorization: undefined }), 401, 'missing_token', `Bearer realm="${AUDIENCE}"`);
  });

  it('the rules still apply, answered with a DPoP challenge (step-up: acr_values)', async () => {
    const token = await bound();
    const result = await guard().authorize(await dpopCall(token, await proofFor(client, token, 'POST', `${ORIGIN}/transfers`), '/transfers', 'POST'));
    expectDenied(
      result,
      401,
      'insufficient_user_authentication',
      `DPoP realm="${AUDIENCE}", error="insufficient_user_authentication", error_description="a stronger authentication is required (urn:meridian:aal2)", acr_values="urn:meridian:aal2", algs="${ALGS}"`,
    );
  });

  it('a token bound some other way (mTLS x5t#S256) → 401 invalid_token', async () => {
    const token = await accessToken({ cnf: { 'x5t#S256': 'abc' } });
    expectDenied(await guard().authorize({ method: 'GET', path: '/items', authorization: `Bearer ${token}` }), 401, 'invalid_token', `Bearer realm="${AUDIENCE}", error="invalid_token", error_description="sender-constrained access tokens of this kind are not accepted here"`);
  });

  it('authorizeRequest: htu from the request URL, or from publicOrigin behind a proxy', async () => {
    const token = await bound();
    const direct = guard({ publicOrigin: undefined });
    const request = async (url: string, proof: string) => new Request(url, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
    expect((await direct.authorizeRequest(await request(`${ORIGIN}/items?page=2`, await proofFor(client, token)))).ok).toBe(true);
    // Behind a proxy the app sees http://10.0.0.5:3000/items; the client signed the public URL.
    const behindProxy = guard();
    expect((await behindProxy.authorizeRequest(await request('http://10.0.0.5:3000/items', await proofFor(client, token)))).ok).toBe(true);
    expectDenied(await direct.authorizeRequest(await request('http://10.0.0.5:3000/items', await proofFor(client, token))), 401, 'invalid_dpop_proof', dpopChallenge('invalid_dpop_proof', 'the DPoP proof is for another URL (htu)'));
  });

  it('a shared replay store sees every proof the guard accepted', async () => {
    const seen: string[] = [];
    const g = guard({ dpopReplayCache: { remember: (key) => (seen.push(key), true) } });
    const token = await bound();
    expect((await g.authorize(await dpopCall(token, await proofFor(client, token)))).ok).toBe(true);
    expect(seen).toEqual([`${client.jkt}:p-${jti}`]);
  });
});

import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denialResponse } from './denial';
import { createResourceServerGuard, type AuthorizeResult, type ResourceServerGuardOptions } from './resource-server-guard';

const ISSUER = 'https://id.example.com/oidc';
const AUDIENCE = 'https://api.example.com';
const REALM = AUDIENCE;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
type SigningKey = { kid: string; alg: string; pair: KeyPair; publicJwk: JWK };

async function signingKey(kid: string, alg: 'ES256' | 'RS256'): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, pair, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
}

/** A JWKS endpoint whose keys the test changes, counting fetches. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  up = true;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      if (!this.up) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()) ?? r());
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

function claims(extra: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'account-1',
    client_id: 'demo-web',
    scope: 'items:read fintech:read',
    country_region_code: 'JP',
    acr: 'urn:meridian:aal1',
    auth_time: nowS() - 60,
    iat: nowS(),
    exp: nowS() + 600,
    jti: 'jti-1',
    ...extra,
  };
}

async function sign(key: SigningKey, payload: JWTPayload = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.pair.privateKey);
}

const ENDPOINTS: ResourceServerGuardOptions['endpoints'] = [
  { method: 'GET', path: '/items', scopes: ['items:read'] },
  { method: 'POST', path: '/items', scopes: ['items:write'] },
  { method: 'GET', path: '/fintech/balance', regions: ['JP'], scopes: ['fintech:read'] },
  { method: 'POST', path: '/fintech/transfers', regions: ['JP'], scopes: ['fintech:read'], acr: 'urn:meridian:aal2' },
  { method: 'POST', path: '/fintech/recent', scopes: ['fintech:read'], maxAgeSeconds: 300 },
];

function expectDenied(result: AuthorizeResult, status: number, error: string, challenge: string | undefined) {
  if (result.ok) throw new Error(`expected ${error}, got access`);
  expect({ status: result.status, error: result.body.error, challenge: result.headers['www-authenticate'] }).toEqual({ status, error, challenge });
  expect(result.body.error_description).toBe(result.description);
}

let jwks: JwksServer;
let es: SigningKey;
let rs: SigningKey;

beforeAll(async () => {
  [es, rs] = await Promise.all([signingKey('es-1', 'ES256'), signingKey('rs-1', 'RS256')]);
  jwks = new JwksServer();
  jwks.keys = [es.publicJwk, rs.publicJwk];
  await jwks.start();
});

afterAll(async () => {
  await jwks.stop();
});

function guard(extra: Partial<ResourceServerGuardOptions> = {}) {
  return createResourceServerGuard({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, endpoints: ENDPOINTS, ...extra });
}

const get = (path: string, token?: string) => ({ method: 'GET', path, authorization: token === undefined ? undefined : `Bearer ${token}` });

describe('resource server guard: token verification', () => {
  const g = () => guard();

  it('grants a valid ES256 or RS256 token and exposes its claims', async () => {
    for (const key of [es, rs]) {
      const result = await g().authorize(get('/items', await sign(key)));
      if (!result.ok) throw new Error(`denied: ${result.description}`);
      expect(result.endpoint.path).toBe('/items');
      expect(result.token).toMatchObject({ sub: 'account-1', clientId: 'demo-web', region: 'JP', acr: 'urn:meridian:aal1' });
      expect([...result.token.scopes]).toEqual(['items:read', 'fintech:read']);
    }
  });

  it('accepts the typ in its media-type form (application/at+jwt)', async () => {
    const result = await g().authorize(get('/items', await sign(es, claims(), { typ: 'application/at+jwt' })));
    expect(result.ok).toBe(true);
  });

  it('no token: 401 with a plain Bearer realm challenge (no error code)', async () => {
    expectDenied(await g().authorize(get('/items')), 401, 'missing_token', `Bearer realm="${REALM}"`);
    // Another scheme is not a bearer token either.
    expectDenied(await g().authorize({ method: 'GET', path: '/items', authorization: 'Basic ZGVtbzpzZWNyZXQ=' }), 401, 'missing_token', `Bearer realm="${REALM}"`);
  });

  it('a malformed Authorization header: 400 invalid_request', async () => {
    const challenge = `Bearer realm="${REALM}", error="invalid_request", error_description="the Authorization header is malformed"`;
    expectDenied(await g().authorize({ method: 'GET', path: '/items', authorization: 'Bearer' }), 400, 'invalid_request', challenge);
    expectDenied(await g().authorize({ method: 'GET', path: '/items', authorization: 'Bearer a b' }), 400, 'invalid_request', challenge);
  });

  const invalid = (description: string) => `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`;

  it('expired: 401 invalid_token', async () => {
    const token = await sign(es, claims({ iat: nowS() - 700, exp: nowS() - 60 }));
    expectDenied(await g().authorize(get('/items', token)), 401, 'invalid_token', invalid('the access token expired'));
  });

  it('within the clock tolerance (5 s) an expired token still passes; a custom clock applies', async () => {
    const token = await sign(es, claims({ exp: nowS() - 2 }));
    expect((await g().authorize(get('/items', token))).ok).toBe(true);
    const later = guard({ now: () => new Date(Date.now() + 3600_000) });
    expectDenied(await later.authorize(get('/items', await sign(es))), 401, 'invalid_token', invalid('the access token expired'));
  });

  it('remembers a verified token only until it expires, and only that exact token', async () => {
    let clock = Date.now();
    const remembering = guard({ now: () => new Date(clock) });
    const token = await sign(es, claims({ exp: Math.floor(clock / 1000) + 30 }));
    expect((await remembering.authorize(get('/items', token))).ok).toBe(true);
    expect((await remembering.authorize(get('/items', token))).ok).toBe(true);
    // One character off inside the signature is another token: verified afresh, refused.
    const at = token.length - 10;
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect((await remembering.authorize(get('/items', tampered))).ok).toBe(false);
    clock += 40_000;
    expectDenied(await remembering.authorize(get('/items', token)), 401, 'invalid_token', invalid('the access token expired'));
  });

  it('wrong audience, wrong issuer, not an access token: 401 invalid_token', async () => {
    expectDenied(await g().authorize(get('/items', await sign(es, claims({ aud: 'https://other.example.com' })))), 401, 'invalid_token', invalid('the access token is not for this resource server'));
    expectDenied(await g().authorize(get('/items', await sign(es, claims({ iss: 'https://evil.example.com' })))), 401, 'invalid_token', invalid('the access token is from another issuer'));
    expectDenied(await g().authorize(get('/items', await sign(es, claims(), { typ: 'JWT' }))), 401, 'invalid_token', invalid('not an access token (typ must be at+jwt)'));
  });

  it('missing required claims: 401 invalid_token', async () => {
    const noExp = claims();
    delete noExp.exp;
    expectDenied(await g().authorize(get('/items', await sign(es, noExp))), 401, 'invalid_token', invalid('the access token has no exp claim'));
    const noClient = claims();
    delete noClient.client_id;
    expectDenied(await g().authorize(get('/items', await sign(es, noClient))), 401, 'invalid_token', invalid('the access token has no client_id claim'));
  });

  it('alg none: 401 invalid_token', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: es.kid })}.${b64(claims())}.`;
    expectDenied(await g().authorize(get('/items', token)), 401, 'invalid_token', invalid('the signing algorithm is not allowed'));
  });

  it('HS256 "signed" with the RSA public key (key confusion): 401 invalid_token', async () => {
    const pem = await exportSPKI(rs.pair.publicKey);
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: rs.kid })}.${b64(claims())}`;
    for (const secret of [pem, JSON.stringify(rs.publicJwk)]) {
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expectDenied(await g().authorize(get('/items', token)), 401, 'invalid_token', invalid('the signing algorithm is not allowed'));
    }
  });

  it('a tampered payload: 401 invalid_token', async () => {
    const [h, , s] = (await sign(es)).split('.');
    const token = `${h}.${b64(claims({ scope: 'items:read items:write' }))}.${s}`;
    expectDenied(await g().authorize(get('/items', token)), 401, 'invalid_token', invalid('the signature does not verify'));
  });

  it('a sender-constrained token this guard cannot check (mTLS cnf), or a DPoP-bound one sent as Bearer: 401 invalid_token', async () => {
    const mtls = await sign(es, claims({ cnf: { 'x5t#S256': 'abc' } }));
    expectDenied(await g().authorize(get('/items', mtls)), 401, 'invalid_token', invalid('sender-constrained access tokens of this kind are not accepted here'));
    const dpopBound = await sign(es, claims({ cnf: { jkt: 'abc' } }));
    const description = 'a DPoP-bound access token must be sent with the DPoP scheme and a DPoP proof';
    expectDenied(await g().authorize(get('/items', dpopBound)), 401, 'invalid_token', `DPoP realm="${REALM}", error="invalid_token", error_description="${description}", algs="ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA Ed25519"`);
  });

  it('refuses to be configured with a symmetric algorithm', () => {
    expect(() => guard({ algorithms: ['ES256', 'HS256'] })).toThrow(/only asymmetric/);
    expect(() => guard({ jwks: { keys: [] } })).toThrow(/either jwks or jwksUri/);
    expect(() => guard({ endpoints: [{ method: 'GET', path: '/x', acr: 'urn:other' }] })).toThrow(/unknown acr/);
  });
});

describe('resource server guard: JWKS cache', () => {
  it('fetches once, refetches on an unknown kid (then within the cooldown, not again)', async () => {
    const g = guard({ jwksCooldownMs: 60_000 });
    const before = jwks.fetches;
    for (let i = 0; i < 5; i += 1) expect((await g.authorize(get('/items', await sign(es)))).ok).toBe(true);
    expect(jwks.fetches - before).toBe(1);

    const stranger = await signingKey('not-in-jwks', 'ES256');
    const challenge = `Bearer realm="${REALM}", error="invalid_token", error_description="the access token was signed with an unknown key"`;
    // The first fetch just happened: within the cooldown, an unknown kid does not refetch.
    expectDenied(await g.authorize(get('/items', await sign(stranger))), 401, 'invalid_token', challenge);
    expectDenied(await g.authorize(get('/items', await sign(stranger))), 401, 'invalid_token', challenge);
    expect(jwks.fetches - before).toBe(1);
  });

  it('picks up a rotated-in key on its first use (cooldown elapsed)', async () => {
    const g = guard({ jwksCooldownMs: 0 });
    expect((await g.authorize(get('/items', await sign(es)))).ok).toBe(true);
    const rotated = await signingKey('es-2', 'ES256');
    const before = jwks.fetches;
    jwks.keys = [rotated.publicJwk, es.publicJwk, rs.publicJwk];
    try {
      expect((await g.authorize(get('/items', await sign(rotated)))).ok).toBe(true);
      expect(jwks.fetches - before).toBe(1);
      // A kid that is in no JWKS costs one refetch and is refused.
      const stranger = await signingKey('never', 'ES256');
      expect((await g.authorize(get('/items', await sign(stranger)))).ok).toBe(false);
      expect(jwks.fetches - before).toBe(2);
    } finally {
      jwks.keys = [es.publicJwk, rs.publicJwk];
    }
  });

  it('issuer keys unavailable: 503 temporarily_unavailable with Retry-After, not invalid_token', async () => {
    jwks.up = false;
    try {
      const result = await guard().authorize(get('/items', await sign(es)));
      expectDenied(result, 503, 'temporarily_unavailable', undefined);
      expect(!result.ok && result.headers['retry-after']).toBe('5');
    } finally {
      jwks.up = true;
    }
  });

  it('works with inline keys (jwks) instead of a URL', async () => {
    const g = createResourceServerGuard({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [es.publicJwk] }, endpoints: ENDPOINTS });
    expect((await g.authorize(get('/items', await sign(es)))).ok).toBe(true);
    expect((await g.authorize(get('/items', await sign(rs)))).ok).toBe(false);
  });
});

describe('resource server guard: endpoint rules', () => {
  const g = () => guard();

  it('no rule for the method and path: 404 not_found, before looking at the token', async () => {
    const before = jwks.fetches;
    expectDenied(await g().authorize(get('/admin')), 404, 'not_found', undefined);
    expectDenied(await g().authorize({ method: 'DELETE', path: '/items', authorization: 'Bearer x' }), 404, 'not_found', undefined);
    expect(jwks.fetches).toBe(before);
  });

  it('wrong region: 403 region_not_supported', async () => {
    const token = await sign(es, claims({ country_region_code: 'TW' }));
    const challenge = `Bearer realm="${REALM}", error="region_not_supported", error_description="this endpoint is not available to accounts in TW"`;
    expectDenied(await g().authorize(get('/fintech/balance', token)), 403, 'region_not_supported', challenge);
    expect((await g().authorize(get('/fintech/balance', await sign(es)))).ok).toBe(true);
  });

  it('a token without a user region (client credentials) passes only endpoints without a region rule', async () => {
    const payload = claims({ sub: 'demo-service', client_id: 'demo-service' });
    delete payload.country_region_code;
    delete payload.acr;
    delete payload.auth_time;
    const token = await sign(es, payload);
    expect((await g().authorize(get('/items', token))).ok).toBe(true);
    const challenge = `Bearer realm="${REALM}", error="region_not_supported", error_description="this endpoint is not available to tokens without a user region"`;
    expectDenied(await g().authorize(get('/fintech/balance', token)), 403, 'region_not_supported', challenge);
  });

  it('missing scope: 403 insufficient_scope naming the endpoint’s scopes', async () => {
    const challenge = `Bearer realm="${REALM}", error="insufficient_scope", error_description="the access token lacks the scope items:write", scope="items:write"`;
    expectDenied(await g().authorize({ method: 'POST', path: '/items', authorization: `Bearer ${await sign(es)}` }), 403, 'insufficient_scope', challenge);
    const noScope = claims();
    delete noScope.scope;
    expectDenied(await g().authorize(get('/items', await sign(es, noScope))), 403, 'insufficient_scope', challenge.replaceAll('items:write', 'items:read'));
  });

  it('acr too low: 401 insufficient_user_authentication with acr_values (RFC 9470)', async () => {
    const post = async (payload: JWTPayload) => g().authorize({ method: 'POST', path: '/fintech/transfers', authorization: `Bearer ${await sign(es, payload)}` });
    const challenge = `Bearer realm="${REALM}", error="insufficient_user_authentication", error_description="a stronger authentication is required (urn:meridian:aal2)", acr_values="urn:meridian:aal2"`;
    expectDenied(await post(claims()), 401, 'insufficient_user_authentication', challenge);
    const noAcr = claims();
    delete noAcr.acr;
    expectDenied(await post(noAcr), 401, 'insufficient_user_authentication', challenge);
    expect((await post(claims({ acr: 'urn:meridian:aal2' }))).ok).toBe(true);
    expect((await post(claims({ acr: 'urn:meridian:aal2:phr' }))).ok).toBe(true);
  });

  it('authentication too old: 401 insufficient_user_authentication with max_age', async () => {
    const post = async (payload: JWTPayload) => g().authorize({ method: 'POST', path: '/fintech/recent', authorization: `Bearer ${await sign(es, payload)}` });
    const challenge = `Bearer realm="${REALM}", error="insufficient_user_authentication", error_description="a more recent authentication is required", max_age=300`;
    expectDenied(await post(claims({ auth_time: nowS() - 301 })), 401, 'insufficient_user_authentication', challenge);
    expect((await post(claims({ auth_time: nowS() - 10 }))).ok).toBe(true);
  });

  it('the region rule answers before the scope rule (no re-authorization fixes a region)', async () => {
    const token = await sign(es, claims({ country_region_code: 'US', scope: 'items:read' }));
    const result = await g().authorize(get('/fintech/balance', token));
    expect(!result.ok && result.error).toBe('region_not_supported');
  });

  it('authorizeRequest reads method, path and Authorization from a Web Request', async () => {
    const ok = await g().authorizeRequest(new Request('https://api.example.com/items?page=2', { headers: { authorization: `Bearer ${await sign(es)}` } }));
    expect(ok.ok).toBe(true);
    const denied = await g().authorizeRequest(new Request('https://api.example.com/items/', { method: 'POST' }));
    expectDenied(denied, 401, 'missing_token', `Bearer realm="${REALM}"`);
  });
});

describe('denialResponse', () => {
  it('is JSON { error, error_description } with the challenge, no-store', async () => {
    const result = await guard().authorize(get('/fintech/balance', await sign(es, claims({ country_region_code: 'HK' }))));
    if (result.ok) throw new Error('expected a denial');
    const response = denialResponse(result);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('www-authenticate')).toContain('error="region_not_supported"');
    expect(await response.json()).toEqual({ error: 'region_not_supported', error_description: 'this endpoint is not available to accounts in HK' });
  });

  it('keeps header values safe: quotes, backslashes and non-ASCII are replaced', async () => {
    const { deny } = await import('./denial');
    const d = deny('invalid_token', 'bad "token" \\ 日本', 'r"ealm');
    expect(d.headers['www-authenticate']).toBe('Bearer realm="r?ealm", error="invalid_token", error_description="bad ?token? ? ??"');
  });
});

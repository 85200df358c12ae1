import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server-process';
import { baseUrl, client, issuer, jose } from './_support/oidc';
import { startVariantServer } from './_support/variant-server';

/**
 * private_key_jwt (RFC 7523 client authentication): demo-service-jwt's public key is in
 * idp.config.yaml, its private key is the demo's tests/support/keys file. A signed assertion
 * buys a token once; the same assertion again is a replay (jti) and refused.
 */

const CLIENT_ID = 'demo-service-jwt';
const DEMO_API = () => `${baseUrl()}/api/demo`;
let privateJwk: jose.JWK & { kid: string };
let key: CryptoKey;

beforeAll(async () => {
  privateJwk = JSON.parse(readFileSync(join(process.cwd(), 'tests/support/keys/demo-service-jwt.private.json'), 'utf8')) as jose.JWK & { kid: string };
  key = (await jose.importJWK(privateJwk, 'ES256')) as CryptoKey;
});

function assertion(signingKey: CryptoKey = key, clientId = CLIENT_ID, audience = issuer()): Promise<string> {
  return new jose.SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(signingKey);
}

async function tokenWith(clientAssertion: string, clientId = CLIENT_ID, at = issuer(), resource = DEMO_API()) {
  const res = await fetch(`${at}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'items:read',
      resource,
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('private_key_jwt', () => {
  it('openid-client with PrivateKeyJwt gets an access token for the demo API', async () => {
    const config = await client.discovery(new URL(issuer()), CLIENT_ID, {}, client.PrivateKeyJwt({ key, kid: privateJwk.kid }), { execute: [client.allowInsecureRequests] });
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'items:read', resource: DEMO_API() });
    const claims = jose.decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ client_id: CLIENT_ID, aud: DEMO_API(), scope: 'items:read' });
  });

  it('refuses a replayed assertion (same jti) with invalid_client', async () => {
    const signed = await assertion();
    expect((await tokenWith(signed)).status).toBe(200);
    const replay = await tokenWith(signed);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
  });

  it('refuses an assertion signed with another key', async () => {
    const { privateKey } = await jose.generateKeyPair('ES256');
    const forged = await tokenWith(await assertion(privateKey));
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe('invalid_client');
  });
});

describe('private_key_jwt with a jwks_uri', () => {
  let server: RunningServer;
  const jwksHosts: Server[] = [];
  const fetched: string[] = [];
  let publicJwk: Record<string, unknown>;
  /** A JWKS server on `host` (both hosts serve the right key: only the address differs). */
  const served = async (host: string) => {
    const jwksHost = createServer((_req, res) => {
      fetched.push(host);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    jwksHosts.push(jwksHost);
    await new Promise<void>((resolve) => jwksHost.listen(0, host, resolve));
    return `http://${host}:${(jwksHost.address() as AddressInfo).port}/jwks`;
  };

  beforeAll(async () => {
    publicJwk = { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y, kid: privateJwk.kid, alg: 'ES256', use: 'sig' };
    const [declaredUri, undeclaredUri] = await Promise.all([served('127.0.0.1'), served('127.0.0.2')]);
    server = await startVariantServer((config) => {
      config.internal_networks = ['127.0.0.1/32'];
      const jwtClient = (clientId: string, jwksUri: string) => ({
        client_id: clientId,
        client_name: clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: jwksUri,
        grant_types: ['client_credentials'],
        first_party: true,
        supported_regions: ['JP'],
        resources: { '${PUBLIC_URL}/api/demo': ['items:read'] },
      });
      config.clients.push(jwtClient('jwks-internal', declaredUri!), jwtClient('jwks-undeclared', undeclaredUri!));
    });
  });

  afterAll(async () => {
    await server?.stop();
    for (const host of jwksHosts) host.close();
  });

  it('fetches the keys from a declared internal network; an undeclared private address is refused', async () => {
    const variantIssuer = `${server.url}/oidc`;
    const ok = await tokenWith(await assertion(key, 'jwks-internal', variantIssuer), 'jwks-internal', variantIssuer, `${server.url}/api/demo`);
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toEqual(expect.any(String));
    const refused = await tokenWith(await assertion(key, 'jwks-undeclared', variantIssuer), 'jwks-undeclared', variantIssuer, `${server.url}/api/demo`);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    expect(fetched).toEqual(['127.0.0.1']);
  });
});

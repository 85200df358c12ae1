import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, client, issuer, jose } from './_support/oidc';

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

function assertion(signingKey: CryptoKey = key, jti = randomUUID()): Promise<string> {
  return new jose.SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
    .setIssuer(CLIENT_ID)
    .setSubject(CLIENT_ID)
    .setAudience(issuer())
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(signingKey);
}

async function tokenWith(clientAssertion: string) {
  const res = await fetch(`${issuer()}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'items:read',
      resource: DEMO_API(),
      client_id: CLIENT_ID,
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

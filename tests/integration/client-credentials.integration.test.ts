import { describe, expect, it } from 'vitest';
import { baseUrl, client, issuer, jose, oauthError, relyingParty, serverJwks, tokenRequest } from './_support/oidc';

const resource = () => `${baseUrl()}/api/demo`;

describe('client credentials (demo-service → demo API)', () => {
  it('issues an RFC 9068 JWT access token for the resource, verifiable with the JWKS', async () => {
    const config = await relyingParty('demoService');
    const before = Math.floor(Date.now() / 1000);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'items:read', resource: resource() });

    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('items:read');
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    expect(tokens.refresh_token).toBeUndefined();

    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, serverJwks(), {
      issuer: issuer(),
      audience: resource(),
      typ: 'at+jwt',
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.aud).toBe(resource());
    expect(payload.client_id).toBe('demo-service');
    expect(payload.scope).toBe('items:read');
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.iat).toBeGreaterThanOrEqual(before - 1);
    expect(Math.abs(payload.exp! - payload.iat! - tokens.expires_in!)).toBeLessThanOrEqual(1);
  });

  it('refuses a scope the client is not allowed on that resource: invalid_scope', async () => {
    const config = await relyingParty('demoService');
    const err = await oauthError(() => client.clientCredentialsGrant(config, { scope: 'items:write', resource: resource() }));
    expect(err.error).toBe('invalid_scope');
    expect(err.status).toBe(400);
  });

  it('refuses a resource it does not know: invalid_target', async () => {
    const config = await relyingParty('demoService');
    const err = await oauthError(() => client.clientCredentialsGrant(config, { scope: 'items:read', resource: 'https://unknown.example/api' }));
    expect(err.error).toBe('invalid_target');
  });

  it('refuses a wrong client secret: invalid_client (401)', async () => {
    const res = await fetch(`${issuer()}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-service:not-the-secret-000000').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'items:read', resource: resource() }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('refuses the grant to a client not registered for it', async () => {
    const { status, body } = await tokenRequest('demoWeb', { grant_type: 'client_credentials', scope: 'items:read', resource: resource() });
    expect(status).toBe(400);
    expect(body.access_token).toBeUndefined();
    // RFC 6749 §5.2 says unauthorized_client; oidc-provider answers invalid_request.
    expect(['unauthorized_client', 'invalid_request']).toContain(body.error);
  });
});

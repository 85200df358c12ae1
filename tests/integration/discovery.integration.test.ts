import { describe, expect, it } from 'vitest';
import { baseUrl, issuer, relyingParty } from './_support/oidc';

describe('discovery document', () => {
  it('describes the issuer a relying party configures itself from', async () => {
    const res = await fetch(`${baseUrl()}/oidc/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const d = (await res.json()) as Record<string, unknown>;

    expect(d.issuer).toBe(`${baseUrl()}/oidc`);
    expect(d).toMatchObject({
      authorization_endpoint: `${issuer()}/auth`,
      token_endpoint: `${issuer()}/token`,
      userinfo_endpoint: `${issuer()}/me`,
      jwks_uri: `${issuer()}/jwks`,
      introspection_endpoint: `${issuer()}/token/introspection`,
      revocation_endpoint: `${issuer()}/token/revocation`,
      end_session_endpoint: `${issuer()}/session/end`,
      pushed_authorization_request_endpoint: `${issuer()}/request`,
    });

    // Only S256: plain PKCE would let an intercepted code be redeemed.
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(d.grant_types_supported).not.toContain('implicit');
    expect(d.acr_values_supported).toEqual(expect.arrayContaining(['urn:meridian:aal1', 'urn:meridian:aal2', 'urn:meridian:aal2:phr']));
    expect(d.ui_locales_supported).toEqual(expect.arrayContaining(['en', 'ja', 'zh-TW']));
    expect(d.authorization_response_iss_parameter_supported).toBe(true);
    expect(d.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256', 'PS256', 'EdDSA']));
    expect(d.claims_parameter_supported).toBe(true);
    expect(d.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile', 'offline_access']));
    expect(d.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'locale', 'country_region_code', 'acr', 'amr', 'auth_time']));
  });

  it('is accepted by openid-client, and the JWKS it points to holds public ES256 keys only', async () => {
    const config = await relyingParty('demoWeb');
    expect(config.serverMetadata().issuer).toBe(issuer());

    const res = await fetch(config.serverMetadata().jwks_uri!);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    const es256 = keys.filter((k) => k.alg === 'ES256' || (k.kty === 'EC' && k.crv === 'P-256'));
    expect(es256.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key.kid).toEqual(expect.any(String));
      // Never a private part in the JWKS.
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret);
    }
  });

  it('is also at the RFC 8414 location for the issuer path, with the same issuer', async () => {
    const [oauth, openid] = await Promise.all([
      fetch(`${baseUrl()}/.well-known/oauth-authorization-server/oidc`),
      fetch(`${issuer()}/.well-known/openid-configuration`),
    ]);
    expect(oauth.status).toBe(200);
    expect(oauth.headers.get('content-type')).toMatch(/application\/json/);
    const metadata = (await oauth.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(issuer());
    expect(metadata).toEqual(await openid.json());
    // RFC 8414 §3.3: the issuer in the document is the one the client derived the URL from.
    expect(`${new URL(String(metadata.issuer)).origin}/.well-known/oauth-authorization-server${new URL(String(metadata.issuer)).pathname}`).toBe(oauth.url);
    // With a query, server.mjs leaves the path to Next.js: its route (the fallback door) answers the same.
    const viaNext = await fetch(`${baseUrl()}/.well-known/oauth-authorization-server/oidc?via=next`);
    expect(viaNext.status).toBe(200);
    expect(await viaNext.json()).toEqual(metadata);
  });
});

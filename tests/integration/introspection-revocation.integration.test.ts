import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, client, exchangeCode, issuer, oauthError, relyingParty, signInAndGetCallback } from './_support/oidc';

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('introspect');
});

async function signedInTokens() {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb');
  const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
  const tokens = await exchangeCode(config, callback, pending);
  return { config, tokens };
}

function introspectRaw(token: string, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  return fetch(`${issuer()}/token/introspection`, { method: 'POST', headers, body: new URLSearchParams({ token }) });
}

describe('token introspection (RFC 7662)', () => {
  it('describes an active access token: client, subject, scope, expiry, issuer, our claims', async () => {
    const { config, tokens } = await signedInTokens();
    const now = Math.floor(Date.now() / 1000);
    const info = await client.tokenIntrospection(config, tokens.access_token);

    expect(info.active).toBe(true);
    expect(info.client_id).toBe('demo-web');
    expect(info.sub).toBe(account.id);
    expect(info.iss).toBe(issuer());
    expect(info.token_type).toBe('Bearer');
    expect(String(info.scope).split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(info.exp).toBeGreaterThan(now);
    expect(info.iat).toBeLessThanOrEqual(now + 1);
    expect(info).toMatchObject({ country_region_code: 'JP', acr: 'urn:meridian:aal1', amr: ['pwd'] });

    const refresh = await client.tokenIntrospection(config, tokens.refresh_token!);
    expect(refresh).toMatchObject({ active: true, client_id: 'demo-web', sub: account.id });
  });

  it('a stranger (partner-app, a third party) learns nothing about demo-web\'s tokens; the owner still does', async () => {
    const { config, tokens } = await signedInTokens();
    const partner = await relyingParty('partnerApp');
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      expect(await client.tokenIntrospection(partner, token)).toEqual({ active: false });
    }
    // The refusal changed nothing: the owner still sees both active, with their subject.
    expect(await client.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: 'demo-web', sub: account.id });
    expect(await client.tokenIntrospection(config, tokens.refresh_token!)).toMatchObject({ active: true, client_id: 'demo-web', sub: account.id });
  });

  it('says only active:false for a token it does not know', async () => {
    const config = await relyingParty('demoWeb');
    const info = await client.tokenIntrospection(config, 'not-a-token-we-ever-issued');
    expect(info).toEqual({ active: false });
  });

  it('requires client authentication', async () => {
    const { tokens } = await signedInTokens();
    const anonymous = await introspectRaw(tokens.access_token);
    const anonymousBody = (await anonymous.json()) as { error?: string; active?: boolean };
    // RFC 6749 §5.2 would say 401 invalid_client; oidc-provider answers 400 invalid_request. Either way: nothing revealed.
    expect([400, 401]).toContain(anonymous.status);
    expect(['invalid_client', 'invalid_request']).toContain(anonymousBody.error);
    expect(anonymousBody).not.toHaveProperty('active');

    const wrongSecret = await introspectRaw(tokens.access_token, `Basic ${Buffer.from('demo-web:wrong-secret-0000000000').toString('base64')}`);
    expect(wrongSecret.status).toBe(401);
    const wrongSecretBody = (await wrongSecret.json()) as { error?: string };
    expect(wrongSecretBody.error).toBe('invalid_client');
    expect(wrongSecretBody).not.toHaveProperty('active');
  });
});

describe('token revocation (RFC 7009)', () => {
  it('a revoked access token is inactive and no longer opens userinfo', async () => {
    const { config, tokens } = await signedInTokens();
    expect((await client.fetchUserInfo(config, tokens.access_token, account.id)).sub).toBe(account.id);

    await client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });

    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    const userinfo = await fetch(`${issuer()}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('a revoked refresh token cannot be used, and the access tokens of its grant die with it', async () => {
    const { config, tokens } = await signedInTokens();

    await client.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });

    expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
    const err = await oauthError(() => client.refreshTokenGrant(config, tokens.refresh_token!));
    expect(err.error).toBe('invalid_grant');
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it('another client cannot revoke a token that is not its own', async () => {
    const { config, tokens } = await signedInTokens();
    const partner = await relyingParty('partnerApp');

    await expect(client.tokenRevocation(partner, tokens.access_token)).rejects.toThrow();

    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
  });

  it('answers 200 for an unknown token (nothing to revoke)', async () => {
    const config = await relyingParty('demoWeb');
    await expect(client.tokenRevocation(config, 'not-a-token-we-ever-issued')).resolves.toBeUndefined();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, client, exchangeCode, issuer, jose, oauthError, relyingParty, serverJwks, signInAndGetCallback } from './_support/oidc';

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('refresh');
});

async function signedInTokens() {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb');
  const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
  const tokens = await exchangeCode(config, callback, pending);
  expect(tokens.refresh_token, 'a first-party client gets a refresh token').toEqual(expect.any(String));
  return { config, tokens };
}

describe('refresh tokens (rotation with reuse detection)', () => {
  it('rotates: every refresh returns a new refresh token and a working access token', async () => {
    const { config, tokens } = await signedInTokens();
    const first = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.access_token).not.toBe(tokens.access_token);

    const second = await client.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(new Set([tokens.refresh_token, first.refresh_token, second.refresh_token]).size).toBe(3);

    // The refreshed ID token is for the same user, with the original authentication's claims.
    const { payload } = await jose.jwtVerify(second.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-web' });
    expect(payload.sub).toBe(account.id);
    expect(payload.acr).toBe('urn:meridian:aal1');
    const original = tokens.claims()!;
    expect(payload.auth_time).toBe(original.auth_time);

    const userinfo = await client.fetchUserInfo(config, second.access_token, account.id);
    expect(userinfo.sub).toBe(account.id);
  });

  it('reusing a rotated refresh token fails with invalid_grant and revokes the whole grant', async () => {
    const { config, tokens } = await signedInTokens();
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const newest = await client.refreshTokenGrant(config, rotated.refresh_token!);
    expect((await client.tokenIntrospection(config, newest.access_token)).active).toBe(true);

    // An attacker (or a buggy client) replays an already-rotated token.
    const reuse = await oauthError(() => client.refreshTokenGrant(config, tokens.refresh_token!));
    expect(reuse.error).toBe('invalid_grant');
    expect(reuse.status).toBe(400);

    // Everything from that grant is dead now, including the legitimate newest tokens.
    const newestRefresh = await oauthError(() => client.refreshTokenGrant(config, newest.refresh_token!));
    expect(newestRefresh.error).toBe('invalid_grant');
    expect((await client.tokenIntrospection(config, newest.access_token)).active).toBe(false);
    expect((await client.tokenIntrospection(config, newest.refresh_token!)).active).toBe(false);
  });
});

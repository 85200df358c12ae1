import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, client, exchangeCode, relyingParty, signInAndGetCallback } from './_support/oidc';

/** The `claims` request parameter (OIDC Core 5.5): claims asked for by name are returned. */

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('claims-param', { region: 'TW' });
});

async function idTokenClaims(extra: Record<string, string>) {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb', { scope: 'openid', ...extra });
  const tokens = await exchangeCode(config, await signInAndGetCallback(new Browser(baseUrl()), pending, account), pending);
  return { config, tokens, claims: tokens.claims()! };
}

describe('claims request parameter', () => {
  it('is advertised', async () => {
    const config = await relyingParty('demoWeb');
    expect(config.serverMetadata().claims_parameter_supported).toBe(true);
  });

  it('returns essential claims requested for the ID token and userinfo beyond the scopes', async () => {
    const without = await idTokenClaims({});
    expect(without.claims).not.toHaveProperty('email');

    const claims = JSON.stringify({
      id_token: { email: { essential: true }, country_region_code: { essential: true } },
      userinfo: { email_verified: { essential: true } },
    });
    const { config, tokens, claims: idToken } = await idTokenClaims({ claims });
    expect(idToken.email).toBe(account.email);
    expect(idToken.country_region_code).toBe('TW');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, account.id);
    expect(userinfo.email_verified).toBe(true);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, runCli, type TestAccount } from './_support/cli';
import { client, issuer, oauthError } from './_support/oidc';
import {
  RESOURCE,
  TOKEN_EXCHANGE,
  TOKEN_TYPE,
  claimsOf,
  clientCredentials,
  exchange,
  rp,
  signIn,
  verifyAccessToken,
} from '../support/token-exchange-flows';

/**
 * RFC 8693 token exchange with our own tokens (idp.config.yaml: marketplace-backend exchanges
 * users' access tokens for the demo API into tokens for the pairwise orders API; orders-api
 * delegates further; travel-web exchanges the ID tokens it was issued, and only those). External
 * (CI) subject tokens: token-exchange-ci.integration.test.ts.
 */

let alice: TestAccount;
let usa: TestAccount;
/** alice's tokens from demo-web: a JWT access token for the demo API, and an ID token. */
let demoAccessToken: string;
let demoIdToken: string;
/** marketplace-backend's own client-credentials token (the actor when it delegates). */
let marketplaceActorToken: string;

beforeAll(async () => {
  [alice, usa] = await Promise.all([createAccount('tx-alice', { region: 'JP' }), createAccount('tx-usa', { region: 'US' })]);
  const tokens = await signIn('demoWeb', alice, { resource: RESOURCE.demo(), scope: 'openid items:read' });
  demoAccessToken = tokens.access_token;
  demoIdToken = tokens.id_token!;
  marketplaceActorToken = await clientCredentials('marketplace', RESOURCE.demo(), 'items:read');
});

function impersonate(subjectToken: string, subjectType: string, extra: Record<string, string> = {}) {
  return { subject_token: subjectToken, subject_token_type: subjectType, audience: RESOURCE.orders(), ...extra };
}

describe('token exchange: impersonation', () => {
  it('with our access token: a short-lived JWT for the target whose sub is the target\'s PPID', async () => {
    const source = claimsOf(demoAccessToken);
    expect(source.sub).toBe(alice.id);
    const response = await exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { scope: 'orders:read' }));
    expect(response.issued_token_type).toBe(TOKEN_TYPE.accessToken);
    expect(response.token_type.toLowerCase()).toBe('bearer');
    expect(response.refresh_token).toBeUndefined();
    expect(response.expires_in).toBeGreaterThan(0);
    expect(response.expires_in).toBeLessThanOrEqual(300);
    expect(response.scope).toBe('orders:read');

    const claims = await verifyAccessToken(response.access_token, RESOURCE.orders());
    expect(claims.sub).not.toBe(alice.id);
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claims.client_id).toBe('marketplace-backend');
    expect(claims.scope).toBe('orders:read');
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);
    expect(claims.act).toBeUndefined();
    // acr, amr, auth_time and the region carry over from the subject token.
    expect(claims.acr).toBe(source.acr);
    expect(claims.amr).toEqual(source.amr);
    expect(claims.auth_time).toBe(source.auth_time);
    expect(claims.country_region_code).toBe('JP');
  });

  it('with the ID token the client itself was issued: the same subject at the target', async () => {
    const fromAccessToken = await verifyAccessToken((await exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken))).access_token);
    const travelIdToken = (await signIn('travelWeb', alice)).id_token!;
    const response = await exchange('travelWeb', impersonate(travelIdToken, TOKEN_TYPE.idToken, { scope: 'orders:read' }));
    const claims = await verifyAccessToken(response.access_token, RESOURCE.orders());
    expect(claims.sub).toBe(fromAccessToken.sub);
    expect(claims.client_id).toBe('travel-web');
    expect(claims.acr).toBe(claimsOf(travelIdToken).acr);
    expect(claims.country_region_code).toBe('JP');
  });

  it('without a scope: everything the client may have on the target (its resources)', async () => {
    const response = await exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken));
    expect(response.scope?.split(' ').sort()).toEqual(['orders:read', 'orders:write']);
  });

  it('for a public target, sub is the account id', async () => {
    const response = await exchange('marketplace', { subject_token: demoAccessToken, subject_token_type: TOKEN_TYPE.accessToken, resource: RESOURCE.demo(), scope: 'items:read' });
    const claims = await verifyAccessToken(response.access_token, RESOURCE.demo());
    expect(claims.sub).toBe(alice.id);
  });
});

describe('token exchange: delegation', () => {
  it('names the actor in act', async () => {
    const response = await exchange(
      'marketplace',
      impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { scope: 'orders:read', actor_token: marketplaceActorToken, actor_token_type: TOKEN_TYPE.accessToken }),
    );
    const claims = await verifyAccessToken(response.access_token, RESOURCE.orders());
    expect(claims.act).toEqual({ sub: 'marketplace-backend' });
    expect(claims.country_region_code).toBe('JP');
  });

  it('nests act when the subject token already has one (RFC 8693 §4.1)', async () => {
    const first = await exchange(
      'marketplace',
      impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { scope: 'orders:read', actor_token: marketplaceActorToken, actor_token_type: TOKEN_TYPE.accessToken }),
    );
    const ordersActor = await clientCredentials('ordersApi', RESOURCE.orders(), 'orders:read');
    const second = await exchange('ordersApi', {
      subject_token: first.access_token,
      subject_token_type: TOKEN_TYPE.accessToken,
      actor_token: ordersActor,
      actor_token_type: TOKEN_TYPE.accessToken,
      resource: RESOURCE.orders(),
    });
    const claims = await verifyAccessToken(second.access_token, RESOURCE.orders());
    expect(claims.act).toEqual({ sub: 'orders-api', act: { sub: 'marketplace-backend' } });
    expect(claims.sub).toBe(claimsOf(first.access_token).sub);
    expect(claims.client_id).toBe('orders-api');
    expect(claims.scope).toBe('orders:read');
  });

  it('impersonation keeps an existing act chain', async () => {
    const delegated = await exchange(
      'marketplace',
      impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { scope: 'orders:read', actor_token: marketplaceActorToken, actor_token_type: TOKEN_TYPE.accessToken }),
    );
    const again = await exchange('marketplace', impersonate(delegated.access_token, TOKEN_TYPE.accessToken, { scope: 'orders:read' }));
    expect((await verifyAccessToken(again.access_token)).act).toEqual({ sub: 'marketplace-backend' });
  });

  it('a client allowed only to delegate must send an actor_token: invalid_request', async () => {
    const first = await exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { scope: 'orders:read' }));
    const err = await oauthError(() => exchange('ordersApi', { subject_token: first.access_token, subject_token_type: TOKEN_TYPE.accessToken, resource: RESOURCE.orders() }));
    expect(err.error).toBe('invalid_request');
  });

  it("an actor token of another client is refused: invalid_grant naming the rule", async () => {
    const ordersActor = await clientCredentials('ordersApi', RESOURCE.orders(), 'orders:read');
    const err = await oauthError(() =>
      exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { actor_token: ordersActor, actor_token_type: TOKEN_TYPE.accessToken })),
    );
    expect(err.error).toBe('invalid_grant');
    expect(err.error_description).toContain('rule actor-access-token-audience');
  });
});

describe('token exchange: permissions and scopes', () => {
  it('an audience outside the client\'s permissions: invalid_target', async () => {
    for (const audience of [RESOURCE.ppid(), 'https://unknown.example/api']) {
      const err = await oauthError(() => exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { audience })));
      expect(err.error).toBe('invalid_target');
    }
  });

  it('a scope beyond the client\'s permissions: invalid_scope', async () => {
    const err = await oauthError(() =>
      exchange('marketplace', { subject_token: demoAccessToken, subject_token_type: TOKEN_TYPE.accessToken, resource: RESOURCE.demo(), scope: 'items:read items:write' }),
    );
    expect(err.error).toBe('invalid_scope');
  });

  it('a scope beyond the subject token\'s (same audience): invalid_scope; a narrower one is fine', async () => {
    const readOnly = await exchange('marketplace', impersonate(demoAccessToken, TOKEN_TYPE.accessToken, { scope: 'orders:read' }));
    const err = await oauthError(() => exchange('marketplace', impersonate(readOnly.access_token, TOKEN_TYPE.accessToken, { scope: 'orders:read orders:write' })));
    expect(err.error).toBe('invalid_scope');
    const same = await exchange('marketplace', impersonate(readOnly.access_token, TOKEN_TYPE.accessToken));
    expect(same.scope).toBe('orders:read');
  });

  it('the target\'s regions apply: a US account gets no token for the orders API (JP/TW/HK): invalid_target', async () => {
    const usaTokens = await signIn('demoWeb', usa, { resource: RESOURCE.demo(), scope: 'openid items:read' });
    const err = await oauthError(() => exchange('marketplace', impersonate(usaTokens.access_token, TOKEN_TYPE.accessToken, { scope: 'orders:read' })));
    expect(err.error).toBe('invalid_target');
    // The demo API serves the US: the same subject token is fine there.
    const ok = await exchange('marketplace', { subject_token: usaTokens.access_token, subject_token_type: TOKEN_TYPE.accessToken, resource: RESOURCE.demo(), scope: 'items:read' });
    expect((await verifyAccessToken(ok.access_token)).country_region_code).toBe('US');
  });

  it('a disabled account\'s tokens are not exchanged: invalid_request', async () => {
    const carol = await createAccount('tx-carol', { region: 'JP' });
    const tokens = await signIn('demoWeb', carol, { resource: RESOURCE.demo(), scope: 'openid items:read' });
    await exchange('marketplace', impersonate(tokens.access_token, TOKEN_TYPE.accessToken, { scope: 'orders:read' }));
    await runCli(['accounts', 'disable', '--id', carol.id]);
    const err = await oauthError(() => exchange('marketplace', impersonate(tokens.access_token, TOKEN_TYPE.accessToken, { scope: 'orders:read' })));
    expect(err.error).toBe('invalid_request');
  });
});

describe('token exchange: who may ask', () => {
  it('a public client is refused', async () => {
    const config = await rp('demoNative');
    const err = await oauthError(() => client.genericGrantRequest(config, TOKEN_EXCHANGE, impersonate(demoAccessToken, TOKEN_TYPE.accessToken)));
    // Public clients cannot be given this grant (config check); oidc-provider then answers
    // invalid_request "requested grant type is not allowed for this client" (RFC 6749 would
    // say unauthorized_client). No token either way.
    expect(['invalid_request', 'invalid_client', 'unauthorized_client']).toContain(err.error);
    expect(err.status).toBeGreaterThanOrEqual(400);
  });

  it('a confidential client without the grant is refused', async () => {
    const config = await rp('demoService');
    const err = await oauthError(() => client.genericGrantRequest(config, TOKEN_EXCHANGE, impersonate(demoAccessToken, TOKEN_TYPE.accessToken)));
    expect(['invalid_request', 'unauthorized_client']).toContain(err.error);
  });

  it('a wrong client secret: 401 invalid_client', async () => {
    const res = await fetch(`${issuer()}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('marketplace-backend:wrong-secret-0123456789').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, ...impersonate(demoAccessToken, TOKEN_TYPE.accessToken) }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });
});

describe('token exchange: invalid requests and subject tokens (RFC 8693 §2.2.2: invalid_request)', () => {
  it('missing or unsupported parameters', async () => {
    const cases: Record<string, string>[] = [
      { subject_token: demoAccessToken, audience: RESOURCE.orders() },
      { subject_token_type: TOKEN_TYPE.accessToken, audience: RESOURCE.orders() },
      { subject_token: demoAccessToken, subject_token_type: 'urn:ietf:params:oauth:token-type:saml2', audience: RESOURCE.orders() },
      { ...impersonate(demoAccessToken, TOKEN_TYPE.accessToken), actor_token: marketplaceActorToken },
      { ...impersonate(demoAccessToken, TOKEN_TYPE.accessToken), requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' },
    ];
    for (const params of cases) {
      const err = await oauthError(() => exchange('marketplace', params));
      expect(err.error, JSON.stringify(Object.keys(params))).toBe('invalid_request');
    }
  });

  it('no audience or resource, or two different ones: invalid_target', async () => {
    const params = { subject_token: demoAccessToken, subject_token_type: TOKEN_TYPE.accessToken };
    expect((await oauthError(() => exchange('marketplace', params))).error).toBe('invalid_target');
    expect((await oauthError(() => exchange('marketplace', { ...params, audience: RESOURCE.orders(), resource: RESOURCE.demo() }))).error).toBe('invalid_target');
  });

  it('a tampered signature, a token of the wrong type, garbage', async () => {
    const [h, p, s] = demoAccessToken.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -4)}${s!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claimsOf(demoAccessToken), sub: usa.id })).toString('base64url')}.${s}`;
    const cases: [string, string][] = [
      [tampered, TOKEN_TYPE.accessToken],
      [forged, TOKEN_TYPE.accessToken],
      [demoIdToken, TOKEN_TYPE.accessToken],
      [demoAccessToken, TOKEN_TYPE.idToken],
      ['not-a-jwt', TOKEN_TYPE.accessToken],
    ];
    for (const [token, type] of cases) {
      const err = await oauthError(() => exchange('marketplace', impersonate(token, type)));
      expect(err.error).toBe('invalid_request');
    }
  });

  it('our token for an audience the client may not exchange (wrong audience): invalid_grant naming the rule', async () => {
    // travel-web's own access token for the orders API: neither marketplace-backend's token nor
    // one whose audience its policy accepts.
    const travel = await signIn('travelWeb', alice, { resource: RESOURCE.orders(), scope: 'openid orders:read' });
    const err = await oauthError(() => exchange('marketplace', impersonate(travel.access_token, TOKEN_TYPE.accessToken)));
    expect(err.error).toBe('invalid_grant');
    expect(err.error_description).toContain('rule subject-access-token-audience');
  });

  it('a subject token type the client may not present: invalid_request', async () => {
    const err = await oauthError(() => exchange('ordersApi', { subject_token: demoIdToken, subject_token_type: TOKEN_TYPE.idToken, resource: RESOURCE.orders() }));
    expect(err.error).toBe('invalid_request');
  });
});

describe('an ID token is a subject token only for its own client (issue 31)', () => {
  it('another client\'s ID token is refused, for every client and every declared type: no token', async () => {
    const hotelIdToken = (await signIn('hotelWeb', alice)).id_token!;
    const attempts: [string, () => ReturnType<typeof exchange>, string][] = [
      // The escalation of issue 31: demo-web's ID token (an id_token_hint in a logout URL is
      // enough) turned into an orders:write token by the marketplace backend.
      ['marketplace, id_token', () => exchange('marketplace', impersonate(demoIdToken, TOKEN_TYPE.idToken, { scope: 'orders:write' })), 'rule subject-type-allowed'],
      ['marketplace, jwt', () => exchange('marketplace', impersonate(demoIdToken, TOKEN_TYPE.jwt)), 'rule subject-type-allowed'],
      // travel-web accepts ID tokens: its own only.
      ['travel-web, demo-web\'s', () => exchange('travelWeb', impersonate(demoIdToken, TOKEN_TYPE.idToken)), 'rule subject-id-token-own-client'],
      ['travel-web, hotel-web\'s', () => exchange('travelWeb', impersonate(hotelIdToken, TOKEN_TYPE.idToken)), 'rule subject-id-token-own-client'],
      // ci-deployer accepts id_token from its trusted CI issuer: not ours issued to demo-web.
      ['ci-deployer', () => exchange('ciDeployer', { subject_token: demoIdToken, subject_token_type: TOKEN_TYPE.idToken, audience: RESOURCE.demo() }), 'rule subject-id-token-own-client'],
    ];
    for (const [label, attempt, rule] of attempts) {
      const err = await oauthError(attempt);
      expect(err.error, label).toBe(rule === 'rule subject-type-allowed' ? 'invalid_request' : 'invalid_grant');
      expect(err.error_description, label).toContain(rule);
    }
  });
});

describe('discovery', () => {
  it('advertises the grant type and both subject types', async () => {
    const metadata = (await rp('marketplace')).serverMetadata();
    expect(metadata.grant_types_supported).toContain(TOKEN_EXCHANGE);
    expect(metadata.subject_types_supported).toEqual(expect.arrayContaining(['public', 'pairwise']));
  });
});

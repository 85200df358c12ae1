import { describe, expect, it } from 'vitest';
import { createExternalSubjectMatcher } from './external-subject-rules';
import {
  actClaimFor,
  decideTokenExchange,
  TOKEN_EXCHANGE_RULES,
  type ExchangeRequest,
  type PresentedToken,
  type TokenExchangePolicy,
} from './token-exchange-policy';

const ISSUER = 'https://id.example/oidc';
const DEMO = 'https://api.example/demo';
const ORDERS = 'https://api.example/orders';

const policy: TokenExchangePolicy = {
  subjectTokenTypes: ['access_token', 'id_token'],
  actorTokenTypes: ['access_token'],
  subjectTokenAudiences: [DEMO, 'web-app'],
  trustedIssuers: ['ci'],
  audiences: [ORDERS, DEMO],
  scopes: undefined,
  impersonation: true,
  delegation: true,
  accessTokenTtlSeconds: 300,
};

const userAccessToken: PresentedToken = {
  kind: 'access_token',
  issuedAs: 'access_token',
  trustedIssuer: undefined,
  iss: ISSUER,
  sub: 'acc-1',
  audiences: [DEMO],
  clientId: 'web-app',
  scopes: ['items:read'],
  identity: { kind: 'account', accountId: 'acc-1', active: true, countryRegionCode: 'JP' },
  act: undefined,
  mayAct: undefined,
};

const serviceActor: PresentedToken = {
  ...userAccessToken,
  sub: 'backend',
  clientId: 'backend',
  scopes: [],
  identity: { kind: 'service', clientId: 'backend', resources: { [DEMO]: ['items:read'] } },
};

function request(overrides: Partial<ExchangeRequest> = {}): ExchangeRequest {
  return {
    issuer: ISSUER,
    clientId: 'backend',
    policy,
    permittedScopes: { [ORDERS]: ['orders:read', 'orders:write'], [DEMO]: ['items:read'] },
    subject: userAccessToken,
    actor: undefined,
    target: { identifier: ORDERS, regions: ['JP', 'TW'], accessTokenTtlSeconds: 600 },
    requestedScopes: ['orders:read'],
    ...overrides,
  };
}

function refusedBy(r: ExchangeRequest) {
  const d = decideTokenExchange(r);
  return d.ok ? 'ok' : `${d.error}:${d.rule}`;
}

describe('decideTokenExchange', () => {
  it('grants the requested scopes, with the shorter of the two TTLs', () => {
    expect(decideTokenExchange(request())).toEqual({ ok: true, scopes: ['orders:read'], ttlSeconds: 300 });
    expect(decideTokenExchange(request({ target: { identifier: ORDERS, regions: ['JP'], accessTokenTtlSeconds: 120 } }))).toMatchObject({ ttlSeconds: 120 });
  });

  it('without a requested scope, grants the whole ceiling', () => {
    expect(decideTokenExchange(request({ requestedScopes: undefined }))).toMatchObject({ ok: true, scopes: ['orders:read', 'orders:write'] });
  });

  it('lists its rules in order, as data', () => {
    expect(TOKEN_EXCHANGE_RULES.map((r) => r.id)).toEqual([
      'client-has-policy',
      'subject-type-allowed',
      'subject-issuer-allowed',
      'subject-id-token-own-client',
      'subject-access-token-audience',
      'subject-active',
      'impersonation-allowed',
      'delegation-allowed',
      'actor-type-allowed',
      'actor-issuer-allowed',
      'actor-id-token-own-client',
      'actor-access-token-audience',
      'actor-active',
      'may-act',
      'target-known',
      'target-permitted',
      'target-allowed-for-subject',
      'target-region',
    ]);
  });

  it('maps each refusal to the RFC 8693 / RFC 6749 error', () => {
    expect(refusedBy(request({ policy: undefined }))).toBe('unauthorized_client:client-has-policy');
    expect(refusedBy(request({ subject: { ...userAccessToken, kind: 'jwt' } }))).toBe('invalid_request:subject-type-allowed');
    expect(refusedBy(request({ subject: { ...userAccessToken, trustedIssuer: 'other-ci' } }))).toBe('invalid_request:subject-issuer-allowed');
    expect(refusedBy(request({ subject: { ...userAccessToken, audiences: [ORDERS], clientId: 'someone' } }))).toBe('invalid_grant:subject-access-token-audience');
    expect(refusedBy(request({ subject: { ...userAccessToken, identity: { kind: 'account', accountId: 'x', active: false, countryRegionCode: 'JP' } } }))).toBe(
      'invalid_request:subject-active',
    );
    expect(refusedBy(request({ policy: { ...policy, impersonation: false } }))).toBe('invalid_request:impersonation-allowed');
    expect(refusedBy(request({ policy: { ...policy, delegation: false }, actor: serviceActor }))).toBe('invalid_request:delegation-allowed');
    expect(refusedBy(request({ actor: { ...serviceActor, kind: 'id_token' } }))).toBe('invalid_request:actor-type-allowed');
    expect(refusedBy(request({ actor: { ...serviceActor, clientId: 'other', audiences: [ORDERS] } }))).toBe('invalid_grant:actor-access-token-audience');
    expect(refusedBy(request({ target: undefined }))).toBe('invalid_target:target-known');
    expect(refusedBy(request({ policy: { ...policy, audiences: [DEMO] } }))).toBe('invalid_target:target-permitted');
    expect(refusedBy(request({ permittedScopes: { [DEMO]: ['items:read'] } }))).toBe('invalid_target:target-permitted');
    expect(refusedBy(request({ target: { identifier: ORDERS, regions: ['TW'], accessTokenTtlSeconds: 600 } }))).toBe('invalid_target:target-region');
    expect(refusedBy(request({ requestedScopes: ['orders:admin'] }))).toBe('invalid_scope:scope-ceiling');
  });

  it('accepts the client\'s own tokens and ID tokens issued to it without listing them', () => {
    const own = { ...userAccessToken, audiences: [ORDERS], clientId: 'backend', scopes: ['orders:read'] };
    expect(refusedBy(request({ subject: own }))).toBe('ok');
    const idToken: PresentedToken = { ...userAccessToken, kind: 'id_token', issuedAs: 'id_token', audiences: ['backend'], clientId: 'backend', scopes: undefined };
    expect(refusedBy(request({ subject: idToken }))).toBe('ok');
  });

  it('an ID token only from the client it was issued to, whatever subject_token_audiences lists or the declared type', () => {
    const webAppIdToken: PresentedToken = { ...userAccessToken, kind: 'id_token', issuedAs: 'id_token', audiences: ['web-app'], clientId: 'web-app', scopes: undefined };
    // The policy lists 'web-app' (a config check refuses that at start; the rule holds anyway).
    expect(refusedBy(request({ subject: webAppIdToken }))).toBe('invalid_grant:subject-id-token-own-client');
    const jwtPolicy = { ...policy, subjectTokenTypes: ['jwt' as const], actorTokenTypes: ['id_token' as const] };
    expect(refusedBy(request({ policy: jwtPolicy, subject: { ...webAppIdToken, kind: 'jwt' } }))).toBe('invalid_grant:subject-id-token-own-client');
    // Addressed to several clients with azp another one: not this client's.
    expect(refusedBy(request({ subject: { ...webAppIdToken, audiences: ['web-app', 'backend'] } }))).toBe('invalid_grant:subject-id-token-own-client');
    expect(refusedBy(request({ policy: jwtPolicy, subject: { ...userAccessToken, kind: 'jwt' }, actor: webAppIdToken }))).toBe('invalid_grant:actor-id-token-own-client');
  });

  it('access tokens: the client\'s own, or for a resource server in subject_token_audiences', () => {
    expect(refusedBy(request({ subject: { ...userAccessToken, clientId: 'web-app', audiences: [DEMO] } }))).toBe('ok');
    expect(refusedBy(request({ subject: { ...userAccessToken, clientId: 'web-app', audiences: [ORDERS] } }))).toBe('invalid_grant:subject-access-token-audience');
    // An access token whose audience happens to be a client id listed there is still an access token for that audience.
    expect(refusedBy(request({ subject: { ...userAccessToken, kind: 'jwt', clientId: 'x', audiences: ['elsewhere'] }, policy: { ...policy, subjectTokenTypes: ['jwt'] } }))).toBe(
      'invalid_grant:subject-access-token-audience',
    );
  });

  describe('scopes only shrink', () => {
    it('the subject token\'s own scopes cap a token for the same audience', () => {
      const ordersToken = { ...userAccessToken, audiences: [ORDERS], clientId: 'backend', scopes: ['orders:read'] };
      expect(refusedBy(request({ subject: ordersToken, requestedScopes: ['orders:read', 'orders:write'] }))).toBe('invalid_scope:scope-ceiling');
      expect(decideTokenExchange(request({ subject: ordersToken, requestedScopes: undefined }))).toMatchObject({ scopes: ['orders:read'] });
    });

    it('the policy\'s scopes, an external rule\'s scopes and a service account\'s resources cap it', () => {
      expect(refusedBy(request({ policy: { ...policy, scopes: ['orders:read'] }, requestedScopes: ['orders:write'] }))).toBe('invalid_scope:scope-ceiling');
      const external: PresentedToken = {
        ...userAccessToken,
        kind: 'jwt',
        issuedAs: undefined,
        trustedIssuer: 'ci',
        clientId: undefined,
        identity: { kind: 'service', clientId: 'deployer', resources: { [ORDERS]: ['orders:read', 'orders:write'] } },
        ruleAudiences: [ORDERS],
        ruleScopes: ['orders:read'],
      };
      const jwtPolicy = { ...policy, subjectTokenTypes: ['jwt' as const] };
      expect(decideTokenExchange(request({ policy: jwtPolicy, subject: external, requestedScopes: undefined }))).toMatchObject({ ok: true, scopes: ['orders:read'] });
      expect(refusedBy(request({ policy: jwtPolicy, subject: external, requestedScopes: ['orders:write'] }))).toBe('invalid_scope:scope-ceiling');
      expect(refusedBy(request({ policy: jwtPolicy, subject: { ...external, ruleAudiences: [DEMO] } }))).toBe('invalid_target:target-allowed-for-subject');
      const narrowAccount = { ...external, identity: { kind: 'service' as const, clientId: 'deployer', resources: { [DEMO]: ['items:read'] } } };
      expect(refusedBy(request({ policy: jwtPolicy, subject: narrowAccount }))).toBe('invalid_target:target-allowed-for-subject');
    });
  });

  describe('may_act', () => {
    it('with an actor, the actor must be the one named', () => {
      const subject = { ...userAccessToken, mayAct: { sub: 'backend', iss: ISSUER } };
      expect(refusedBy(request({ subject, actor: serviceActor }))).toBe('ok');
      expect(refusedBy(request({ subject: { ...subject, mayAct: { sub: 'someone-else' } }, actor: serviceActor }))).toBe('invalid_request:may-act');
      expect(refusedBy(request({ subject: { ...subject, mayAct: { sub: 'backend', iss: 'https://other.example' } }, actor: serviceActor }))).toBe('invalid_request:may-act');
    });

    it('without one, the requesting client must be the one named', () => {
      expect(refusedBy(request({ subject: { ...userAccessToken, mayAct: { sub: 'backend' } } }))).toBe('ok');
      expect(refusedBy(request({ subject: { ...userAccessToken, mayAct: { sub: 'other-client' } } }))).toBe('invalid_request:may-act');
      expect(refusedBy(request({ subject: { ...userAccessToken, mayAct: {} } }))).toBe('invalid_request:may-act');
    });
  });
});

describe('actClaimFor', () => {
  it('impersonation keeps the subject\'s chain; delegation puts the actor outermost', () => {
    expect(actClaimFor(undefined, undefined)).toBeUndefined();
    expect(actClaimFor({ sub: 'a' }, undefined)).toEqual({ sub: 'a' });
    expect(actClaimFor(undefined, { sub: 'b' })).toEqual({ sub: 'b' });
    expect(actClaimFor({ sub: 'a', act: { sub: 'z' } }, { sub: 'b' })).toEqual({ sub: 'b', act: { sub: 'a', act: { sub: 'z' } } });
  });
});

describe('external subject rules', () => {
  const match = createExternalSubjectMatcher([
    { sub: 'repo:org/app:ref:refs/heads/main', serviceAccount: 'deployer', audiences: [ORDERS], scopes: ['orders:write'] },
    { sub: 'repo:org/app:environment:*', serviceAccount: 'deployer', audiences: [ORDERS], scopes: ['orders:read'] },
    { email: 'Builder@Example.com', accountEmail: 'builder@example.com', audiences: [DEMO], scopes: [] },
  ]);

  it('matches exactly, by pattern (anchored, * only), or by verified email; first match wins', () => {
    expect(match({ sub: 'repo:org/app:ref:refs/heads/main' })?.scopes).toEqual(['orders:write']);
    expect(match({ sub: 'repo:org/app:environment:prod' })?.scopes).toEqual(['orders:read']);
    expect(match({ sub: 'repo:org/app:ref:refs/heads/main2' })).toBeUndefined();
    expect(match({ sub: 'xrepo:org/app:environment:prod' })).toBeUndefined();
    expect(match({ sub: 'repo:org/appXenvironment:prod' })).toBeUndefined();
    expect(match({ sub: 'svc', email: 'builder@example.com' })?.accountEmail).toBe('builder@example.com');
    expect(match({ sub: 'svc', email: 'builder@example.com', email_verified: false })).toBeUndefined();
    expect(match({})).toBeUndefined();
  });
});

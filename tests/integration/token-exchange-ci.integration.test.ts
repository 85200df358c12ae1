import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { issuer, oauthError } from './_support/oidc';
import { generateSigningJwk } from '../support/local-oidc-issuer';
import { CI_MAIN_SUBJECT, RESOURCE, TOKEN_TYPE, ciIssuer, ciToken, exchange, verifyAccessToken } from '../support/token-exchange-flows';

/**
 * A CI job exchanges its workload identity token (from the local issuer the global setup starts,
 * trusted as `ci` in idp.config.yaml) for an access token to the demo API, acting as the
 * ci-deployer service account (docs/ci-identity.md).
 */

function ciExchange(subjectToken: string, extra: Record<string, string> = {}) {
  return exchange('ciDeployer', { subject_token: subjectToken, subject_token_type: TOKEN_TYPE.jwt, audience: RESOURCE.demo(), ...extra });
}

describe('token exchange with an external CI token', () => {
  it('an allowed service-account subject gets a token for the demo API, as ci-deployer', async () => {
    const response = await ciExchange(await ciToken({ sub: CI_MAIN_SUBJECT, repository: 'meridian/marketplace' }), { scope: 'items:read items:write' });
    expect(response.issued_token_type).toBe(TOKEN_TYPE.accessToken);
    expect(response.refresh_token).toBeUndefined();
    const claims = await verifyAccessToken(response.access_token, RESOURCE.demo());
    expect(claims.sub).toBe('ci-deployer');
    expect(claims.client_id).toBe('ci-deployer');
    expect(claims.scope).toBe('items:read items:write');
    expect(claims.act).toBeUndefined();
    // Nothing of the CI token's own claims leaks into ours.
    expect(claims.repository).toBeUndefined();
    expect(claims.country_region_code).toBeUndefined();
  });

  it('accepts RS256 as well as ES256, and the id_token type', async () => {
    const token = await ciToken({ sub: CI_MAIN_SUBJECT }, { alg: 'RS256' });
    const response = await ciExchange(token, { subject_token_type: TOKEN_TYPE.idToken, scope: 'items:read' });
    expect((await verifyAccessToken(response.access_token)).sub).toBe('ci-deployer');
  });

  it('a subject matching a pattern rule gets only that rule\'s scopes', async () => {
    const token = await ciToken({ sub: 'repo:meridian/marketplace:environment:staging' });
    const response = await ciExchange(token);
    expect(response.scope).toBe('items:read');
    const err = await oauthError(async () => ciExchange(await ciToken({ sub: 'repo:meridian/marketplace:environment:staging' }), { scope: 'items:write' }));
    expect(err.error).toBe('invalid_scope');
  });

  it('any other subject is refused: invalid_request', async () => {
    for (const sub of ['repo:evil/marketplace:ref:refs/heads/main', 'repo:meridian/marketplace:ref:refs/heads/feature', 'repo:meridian/marketplace:ref:refs/heads/main-x']) {
      const err = await oauthError(async () => ciExchange(await ciToken({ sub })));
      expect(err.error, sub).toBe('invalid_request');
    }
  });

  it('unknown issuer, expired, alg none, HS256, wrongly signed and wrong audience: invalid_request', async () => {
    const stranger = await generateSigningJwk('ES256', ciIssuer().keys.ES256.kid);
    const now = Math.floor(Date.now() / 1000);
    const hs256 = await new SignJWT({ iss: ciIssuer().issuer, aud: 'meridian-id', sub: CI_MAIN_SUBJECT, iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a-shared-secret-nobody-configured-0123456789'));
    const noneToken = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: ciIssuer().issuer, aud: 'meridian-id', sub: CI_MAIN_SUBJECT, iat: now, exp: now + 300 }),
    ).toString('base64url')}.`;
    const cases: [string, string][] = [
      ['unknown issuer', await ciToken({ sub: CI_MAIN_SUBJECT, iss: 'https://ci.unknown.example' })],
      ['expired', await ciToken({ sub: CI_MAIN_SUBJECT }, { expiresInSeconds: -120 })],
      ['alg none', noneToken],
      ['HS256', hs256],
      ['wrongly signed (same kid, another key)', await ciToken({ sub: CI_MAIN_SUBJECT }, { key: stranger })],
      ['wrong audience', await ciToken({ sub: CI_MAIN_SUBJECT, aud: 'someone-else' })],
      ['not yet valid', await ciToken({ sub: CI_MAIN_SUBJECT, nbf: now + 600 })],
    ];
    for (const [label, token] of cases) {
      const err = await oauthError(() => ciExchange(token));
      expect(err.error, label).toBe('invalid_request');
    }
  });

  it('an audience the rule or the client does not allow: invalid_target', async () => {
    const err = await oauthError(async () => ciExchange(await ciToken({ sub: CI_MAIN_SUBJECT }), { audience: RESOURCE.orders() }));
    expect(err.error).toBe('invalid_target');
  });

  it('may_act is honoured: only the named party may use the token', async () => {
    const named = await ciToken({ sub: CI_MAIN_SUBJECT, may_act: { sub: 'ci-deployer', iss: issuer() } });
    expect((await verifyAccessToken((await ciExchange(named, { scope: 'items:read' })).access_token)).sub).toBe('ci-deployer');
    const other = await ciToken({ sub: CI_MAIN_SUBJECT, may_act: { sub: 'somebody-else', iss: issuer() } });
    expect((await oauthError(() => ciExchange(other))).error).toBe('invalid_request');
  });

  it('a client whose policy does not trust the issuer cannot present its tokens: invalid_request', async () => {
    const token = await ciToken({ sub: CI_MAIN_SUBJECT });
    // travel-web accepts ID tokens, but trusts no external issuer.
    const err = await oauthError(() => exchange('travelWeb', { subject_token: token, subject_token_type: TOKEN_TYPE.idToken, audience: RESOURCE.orders() }));
    expect(err.error).toBe('invalid_request');
    expect(err.error_description).toContain('rule subject-issuer-allowed');
  });
});

import { describe, expect, it } from 'vitest';
import { parseTokenExchangeParams } from './token-exchange-params';

const AT = 'urn:ietf:params:oauth:token-type:access_token';
const base = { subject_token: 'a.b.c', subject_token_type: AT, audience: 'https://api.example/orders' };

function errorOf(params: Record<string, unknown>): string | undefined {
  try {
    parseTokenExchangeParams(params);
    return undefined;
  } catch (e) {
    return (e as { error?: string }).error;
  }
}

describe('parseTokenExchangeParams', () => {
  it('reads a complete request', () => {
    expect(
      parseTokenExchangeParams({ ...base, resource: 'https://api.example/orders', scope: 'b a b', actor_token: 'x.y.z', actor_token_type: 'urn:ietf:params:oauth:token-type:jwt' }),
    ).toEqual({ subjectToken: 'a.b.c', subjectKind: 'access_token', actorToken: 'x.y.z', actorKind: 'jwt', target: 'https://api.example/orders', requestedScopes: ['b', 'a'] });
  });

  it('accepts repeated audience/resource values naming one target', () => {
    expect(parseTokenExchangeParams({ ...base, audience: ['https://api.example/orders', 'https://api.example/orders'] }).target).toBe('https://api.example/orders');
  });

  it('invalid_request for missing, unsupported or unpaired parameters', () => {
    expect(errorOf({ ...base, subject_token: undefined })).toBe('invalid_request');
    expect(errorOf({ ...base, subject_token_type: undefined })).toBe('invalid_request');
    expect(errorOf({ ...base, subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' })).toBe('invalid_request');
    expect(errorOf({ ...base, actor_token: 'x.y.z' })).toBe('invalid_request');
    expect(errorOf({ ...base, actor_token_type: AT })).toBe('invalid_request');
    expect(errorOf({ ...base, actor_token: 'x', actor_token_type: 'urn:x' })).toBe('invalid_request');
    expect(errorOf({ ...base, requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' })).toBe('invalid_request');
    expect(errorOf({ ...base, requested_token_type: AT })).toBeUndefined();
  });

  it('invalid_target for no target, several targets, or a malformed resource', () => {
    expect(errorOf({ ...base, audience: undefined })).toBe('invalid_target');
    expect(errorOf({ ...base, resource: 'https://api.example/demo' })).toBe('invalid_target');
    expect(errorOf({ ...base, audience: undefined, resource: 'not a uri' })).toBe('invalid_target');
    expect(errorOf({ ...base, audience: undefined, resource: 'https://api.example/orders#frag' })).toBe('invalid_target');
  });
});

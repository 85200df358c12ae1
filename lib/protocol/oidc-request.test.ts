import { describe, expect, it } from 'vitest';
import { providerPathOf } from './oidc-request';

describe('providerPathOf', () => {
  it('answers the RFC 8414 location of the metadata with the provider document, query kept', () => {
    expect(providerPathOf('/.well-known/oauth-authorization-server/oidc', '/oidc')).toBe('/oidc/.well-known/oauth-authorization-server');
    expect(providerPathOf('/.well-known/oauth-authorization-server/oidc?via=next', '/oidc')).toBe('/oidc/.well-known/oauth-authorization-server?via=next');
  });

  it('leaves every other path as requested', () => {
    expect(providerPathOf('/oidc/token', '/oidc')).toBe('/oidc/token');
    expect(providerPathOf('/oidc/auth?client_id=x', '/oidc')).toBe('/oidc/auth?client_id=x');
  });
});

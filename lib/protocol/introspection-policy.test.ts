import { describe, expect, it } from 'vitest';
import { mayIntrospect } from './introspection-policy';

const ORDERS = 'https://api.example/orders';
const ordersService = { clientId: 'orders-api', resources: { [ORDERS]: ['orders:read'] } };
const stranger = { clientId: 'partner-app' };

describe('mayIntrospect', () => {
  it('lets a client introspect the tokens issued to it', () => {
    expect(mayIntrospect(stranger, { kind: 'RefreshToken', clientId: 'partner-app' })).toBe(true);
    expect(mayIntrospect(stranger, { kind: 'AccessToken', clientId: 'partner-app' })).toBe(true);
  });

  it('lets a client introspect access tokens for a resource server it acts for', () => {
    expect(mayIntrospect(ordersService, { kind: 'AccessToken', clientId: 'travel-web', aud: ORDERS })).toBe(true);
    expect(mayIntrospect(ordersService, { kind: 'ClientCredentials', clientId: 'travel-web', aud: [ORDERS] })).toBe(true);
  });

  it('refuses everything else: other clients\' refresh tokens, audience-less or foreign access tokens', () => {
    expect(mayIntrospect(ordersService, { kind: 'RefreshToken', clientId: 'travel-web', aud: ORDERS })).toBe(false);
    expect(mayIntrospect(stranger, { kind: 'RefreshToken', clientId: 'demo-web' })).toBe(false);
    expect(mayIntrospect(stranger, { kind: 'AccessToken', clientId: 'demo-web' })).toBe(false);
    expect(mayIntrospect(stranger, { kind: 'AccessToken', clientId: 'demo-web', aud: ORDERS })).toBe(false);
    expect(mayIntrospect({ ...ordersService, resources: { [ORDERS]: [] } }, { kind: 'AccessToken', clientId: 'demo-web', aud: ORDERS })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { checkClientAuth } from './client-auth';

const jwks = { keys: [{ kty: 'EC', kid: 'k1' }] };

describe('client authentication rules', () => {
  it('accepts each method with what it needs', () => {
    expect(checkClientAuth({ token_endpoint_auth_method: 'none' })).toEqual([]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'client_secret_basic', client_secret: 's' })).toEqual([]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'private_key_jwt', jwks })).toEqual([]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://rp.example/jwks' })).toEqual([]);
  });

  it('names the field that is missing or out of place', () => {
    expect(checkClientAuth({ token_endpoint_auth_method: 'none', client_secret: 's' })).toEqual([{ path: 'client_secret', message: 'a public client must not have a secret' }]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'client_secret_post' })).toEqual([{ path: 'client_secret', message: 'required for a confidential client' }]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'private_key_jwt' })).toEqual([{ path: 'jwks', message: 'private_key_jwt needs jwks or jwks_uri' }]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'private_key_jwt', jwks, jwks_uri: 'https://rp.example/jwks', client_secret: 's' })).toEqual([
      { path: 'client_secret', message: 'a private_key_jwt client authenticates with its key, not a secret' },
      { path: 'jwks_uri', message: 'give jwks or jwks_uri, not both' },
    ]);
    expect(checkClientAuth({ token_endpoint_auth_method: 'client_secret_basic', client_secret: 's', jwks })).toEqual([
      { path: 'jwks', message: 'keys are only used with token_endpoint_auth_method: private_key_jwt' },
    ]);
  });
});

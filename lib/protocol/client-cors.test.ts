import { describe, expect, it } from 'vitest';
import { isClientCorsOrigin } from './client-cors';

const native = { redirectUris: ['com.meridian.demo:/oauth2redirect', 'https://app.meridian.example/oauth2redirect', 'http://127.0.0.1/oauth2redirect'] };

describe('isClientCorsOrigin', () => {
  it('allows the web origins of the client\'s redirect URIs', () => {
    expect(isClientCorsOrigin('https://app.meridian.example', native)).toBe(true);
    expect(isClientCorsOrigin('http://127.0.0.1', native)).toBe(true);
  });

  it('never allows the opaque origin null, which a custom-scheme redirect URI would otherwise match', () => {
    expect(new URL('com.meridian.demo:/oauth2redirect').origin).toBe('null');
    expect(isClientCorsOrigin('null', native)).toBe(false);
  });

  it('refuses other origins, other ports and clients without redirect URIs', () => {
    expect(isClientCorsOrigin('https://evil.example', native)).toBe(false);
    expect(isClientCorsOrigin('https://app.meridian.example:8443', native)).toBe(false);
    expect(isClientCorsOrigin('com.meridian.demo:', native)).toBe(false);
    expect(isClientCorsOrigin('https://app.meridian.example', {})).toBe(false);
  });
});

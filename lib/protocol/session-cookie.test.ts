import { describe, expect, it } from 'vitest';
import { crossSitePostSupported, sessionCookieOptions } from './session-cookie';

describe('session cookie for cross-site POST', () => {
  it('is SameSite=None; Secure on https and on loopback http, where browsers keep Secure cookies', () => {
    for (const url of ['https://id.example.com', 'http://localhost:3000', 'http://127.0.0.1:4000', 'http://[::1]:3000']) {
      expect(crossSitePostSupported(new URL(url)), url).toBe(true);
      expect(sessionCookieOptions(new URL(url)), url).toEqual({ httpOnly: true, sameSite: 'none', secure: true });
    }
  });

  it('stays Lax, with POST off, on plain http elsewhere (a Secure cookie would be dropped there)', () => {
    const url = new URL('http://idp.internal:3000');
    expect(crossSitePostSupported(url)).toBe(false);
    expect(sessionCookieOptions(url)).toEqual({ httpOnly: true, sameSite: 'lax', secure: false });
  });
});

import { describe, expect, it } from 'vitest';
import { issuer } from './_support/oidc';

/**
 * CORS at the token endpoint (issue 31): demo-native registers a custom-scheme redirect URI
 * (`com.meridian.demo:/oauth2redirect`), whose origin is the opaque `null` — the Origin that
 * sandboxed iframes and `data:` pages send. Only the web origins a client declares in its
 * redirect URIs get CORS; `null` never does, not even on a preflight.
 */

function tokenRequest(origin: string) {
  return fetch(`${issuer()}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'demo-native',
      code: 'no-such-code',
      redirect_uri: 'com.meridian.demo:/oauth2redirect',
      code_verifier: 'v'.repeat(43),
    }),
  });
}

describe('CORS for the token endpoint', () => {
  it('Origin: null gets no Access-Control-Allow-Origin', async () => {
    const res = await tokenRequest('null');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.status).toBe(400);
    await res.body?.cancel();
  });

  it('nor does a preflight from Origin: null', async () => {
    const res = await fetch(`${issuer()}/token`, {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await res.body?.cancel();
  });

  it('an origin the client does not declare gets none either', async () => {
    const res = await tokenRequest('https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await res.body?.cancel();
  });

  it('the web origin the public client declares (its claimed https redirect) still gets CORS', async () => {
    const res = await tokenRequest('https://app.meridian.example');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.meridian.example');
    // The request itself is answered as usual (an unknown code).
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });
});

import { describe, expect, it } from 'vitest';
import { bootClientIpSecret } from '@/lib/http/client-ip-stamp.mjs';
import { flowApiRequestOf } from './flow-api-next';

describe('flowApiRequestOf (the Next.js fallback door)', () => {
  it('maps a route handler Request: path, query, headers, the client IP server.mjs decided', async () => {
    const req = flowApiRequestOf(
      new Request('http://localhost:3000/api/flows/abc?locale=ja', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-meridian-client-ip': '198.51.100.7', 'x-meridian-client-ip-proof': bootClientIpSecret(), 'Accept-Language': 'ja' },
        body: '{"step":"email"}',
      }),
    );
    expect({ method: req.method, path: req.path, query: req.query, ip: req.ip }).toEqual({ method: 'POST', path: '/api/flows/abc', query: 'locale=ja', ip: '198.51.100.7' });
    expect(req.header('accept-language')).toBe('ja');
    expect(req.header('origin')).toBeNull();
    expect(await req.readBody()).toBe('{"step":"email"}');
  });

  it('reads no body past the cap', async () => {
    const req = flowApiRequestOf(new Request('http://localhost:3000/api/flows', { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) }));
    expect(req.query).toBe('');
    expect(req.ip).toBe('unknown');
    expect(await req.readBody()).toBeNull();
  });
});

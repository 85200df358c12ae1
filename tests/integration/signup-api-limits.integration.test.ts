import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl } from './_support/oidc';
import { api, serverDb, startFlow, type ErrorBody } from './_support/signup';
import { postUnfinished } from './_support/unfinished-post';

// The production server answers the JSON flow API from Node without Next.js (server.mjs) and
// form posts to the same paths through Next.js; both keep the limits and headers of the API.

afterAll(async () => {
  await serverDb().$disconnect();
});

const OVER_CAP = 64 * 1024 + 1;

describe('limits of the JSON flow API', () => {
  it('refuses a body over 64 KiB with a localized 413, declared or streamed, and keeps serving', async () => {
    const flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
    const big = JSON.stringify({ step: 'email', email: `${'a'.repeat(OVER_CAP)}@example.com` });
    const declared = await api(`/api/flows/${flow.id}`, { json: JSON.parse(big) as unknown, headers: { 'accept-language': 'ja' } });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('cache-control')).toBe('no-store');
    expect(declared.body).toEqual({ error: { id: 'signup.body_too_large', text: 'リクエストが大きすぎます。', status: 413 } });
    const create = await api('/api/flows', { json: { type: 'signup', pad: 'x'.repeat(OVER_CAP) } });
    expect(create.status).toBe(413);
    expect((create.body as ErrorBody).error.text).toBe('The request is too large.');

    const streamed = await postUnfinished(`/api/flows/${flow.id}`, `{"pad":"${'a'.repeat(OVER_CAP)}`, { 'content-type': 'application/json', 'accept-language': 'zh-TW' });
    expect(streamed.status).toBe(413);
    expect((JSON.parse(streamed.text) as ErrorBody).error).toEqual({ id: 'signup.body_too_large', text: '要求的內容過大。', status: 413 });

    // Nothing was submitted: the flow still waits for its email.
    const after = await api(`/api/flows/${flow.id}`);
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.body)).not.toContain('aaaaaaaa');
  });

  it('answers malformed JSON with 400, a foreign origin with 403, JSON errors with the security headers', async () => {
    const flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
    const malformed = await fetch(`${baseUrl()}/api/flows/${flow.id}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"step":"email",' });
    expect(malformed.status).toBe(400);
    const text = await malformed.text();
    expect((JSON.parse(text) as ErrorBody).error.id).toBe('signup.invalid_request');
    expect(malformed.headers.get('content-type')).toBe('application/json');
    expect(Number(malformed.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(malformed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(malformed.headers.get('x-frame-options')).toBe('DENY');
    expect(malformed.headers.get('referrer-policy')).toBe('same-origin');
    const foreign = await api('/api/flows', { json: { type: 'signup' }, headers: { origin: 'https://evil.example', 'accept-language': 'ja' } });
    expect(foreign.status).toBe(403);
    expect((foreign.body as ErrorBody).error.text).toBe('この登録は別のブラウザで開始されました。このブラウザで最初からやり直してください。');
    const notJson = await fetch(`${baseUrl()}/api/flows`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"type":"signup"}' });
    expect(notJson.status).toBe(415);
  });

  // The page's own form post (303) is covered in signup-api.integration.test.ts.
  it('answers a cross-origin form post to the same path with the HTML 403 page (forms stay on the Next.js side)', async () => {
    const flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
    const foreign = await fetch(`${baseUrl()}/api/flows/${flow.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ step: 'email', email: 'x@example.com' }),
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('content-type')).toContain('text/html');
  });
});

/**
 * Issue 31 point 8: a body of the wrong type to a form route, a form that does not parse, and a
 * path with a malformed percent-escape are refused with a localized 4xx page (or the flow API's
 * JSON error), never a 500.
 */
import { describe, expect, it } from 'vitest';
import { alerts, htmlLang, visibleText } from './_support/html';
import { baseUrl } from './_support/oidc';

/** Every route under app/ that reads a form body (app/_lib/form-post.ts), with ids that need not exist: the checks come first. */
const FORM_ROUTES = [
  '/locale',
  '/demo/logout',
  '/demo/backchannel-logout',
  '/interaction/some-uid/login',
  '/interaction/some-uid/consent',
  '/interaction/some-uid/region',
  '/interaction/some-uid/email-code/send',
  '/interaction/some-uid/email-code/verify',
  '/interaction/some-uid/upstream/google',
  '/upstream/link/send',
  '/upstream/link/confirm',
  '/api/flows/some-flow',
];

const BODIES: [string, string, string][] = [
  ['text/plain', 'text/plain', 'email=a@example.com'],
  ['JSON', 'application/json', '{"email":"a@example.com"}'],
];

function post(path: string, contentType: string, body: string, language = 'ja') {
  return fetch(new URL(path, baseUrl()), { method: 'POST', headers: { 'content-type': contentType, 'accept-language': language }, body, redirect: 'manual' });
}

describe('form routes refuse bodies that are not forms', () => {
  for (const path of FORM_ROUTES) {
    for (const [name, contentType, body] of BODIES) {
      // JSON to /api/flows/<id> is the flow API's: it answers in its own JSON shape.
      if (name === 'JSON' && path.startsWith('/api/flows/')) continue;
      it(`${name} to ${path} → 415 with a localized page`, async () => {
        const res = await post(path, contentType, body);
        expect(res.status).toBe(415);
        expect(res.headers.get('content-type')).toContain('text/html');
        const html = await res.text();
        expect(htmlLang(html)).toBe('ja');
        expect(alerts(html)).toEqual(['このフォームは受け付けられない形式で送信されました。前の画面に戻って、もう一度送信してください。']);
        expect(visibleText(html)).toContain('request.unsupported_media_type');
      });
    }
  }

  it('JSON that does not parse, to the flow API, is its JSON error, not a 500', async () => {
    const res = await post('/api/flows/some-flow', 'application/json', '{"email":');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toHaveProperty('error');
  });

  it('a multipart form that does not parse → 400 with a localized page', async () => {
    const res = await post('/locale', 'multipart/form-data; boundary=xyz', 'not a multipart body at all', 'en');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(alerts(html)).toEqual(['This form arrived damaged, so we could not read it. Go back to the page and send it again.']);
    expect(visibleText(html)).toContain('request.malformed_body');
  });

  it('a real form still works (multipart too)', async () => {
    const form = new FormData();
    form.set('locale', 'ja');
    form.set('return_to', '/demo');
    const res = await fetch(new URL('/locale', baseUrl()), { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/demo');
  });
});

describe('paths with a malformed percent-escape', () => {
  it.each(['/interaction/%ff', '/interaction/%ff/email-code', '/signup/%ff', '/legal/%ff/x', '/legal/JP/%e6%97', '/upstream/%ff/callback', '/%ff'])(
    'GET %s → 400 with a localized page',
    async (path) => {
      const res = await fetch(new URL(path, baseUrl()), { headers: { 'accept-language': 'zh-TW' }, redirect: 'manual' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(htmlLang(html)).toBe('zh-TW');
      expect(alerts(html)).toEqual(['此網址無效。請檢查連結，或返回上一頁再試一次。']);
      expect(visibleText(html)).toContain('request.malformed_url');
    },
  );

  it('a form POST to such a path → 400 too', async () => {
    const res = await post('/interaction/%ff/login', 'application/x-www-form-urlencoded', 'email=a%40example.com&password=x', 'en');
    expect(res.status).toBe(400);
    expect(visibleText(await res.text())).toContain('request.malformed_url');
  });

  it.each(['/oidc/%ff', '/oidc/auth/%ff', '/oidc/session/end/%ff', '/api/flows/%ff', '/api/demo/items/%ff', '/api/ppid/convert/%ff'])('%s → a 4xx from its own handler', async (path) => {
    const res = await fetch(new URL(path, baseUrl()), { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await res.body?.cancel();
  });
});

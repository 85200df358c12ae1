/**
 * Issue 31 point 3: the language switcher's return_to cannot send a person to another site,
 * however the path is spelled, and state-changing POSTs from another site's page are refused.
 */
import { describe, expect, it } from 'vitest';
import { alerts, htmlLang, visibleText } from './_support/html';
import { baseUrl } from './_support/oidc';

/** Spellings a browser resolves to `//evil.example` (another host) once dot segments, escapes, tabs and backslashes are read. */
const VARIANTS = [
  '/.//evil.example',
  '/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/a/../..//evil.example',
  '/\t/evil.example',
  '/.\t//evil.example',
  '/\n/evil.example',
  '/\\evil.example',
  '/.\\/evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '//evil.example',
  'https://evil.example/',
  '/%09/evil.example',
];

async function switchLanguage(returnTo: string, headers: Record<string, string> = {}) {
  return fetch(new URL('/locale', baseUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ locale: 'ja', return_to: returnTo }),
    redirect: 'manual',
  });
}

describe('POST /locale return_to', () => {
  it.each(VARIANTS)('%j: the Location a browser follows stays on our origin', async (returnTo) => {
    const res = await switchLanguage(returnTo);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    // Resolved as the browser resolves it, against the page it was answered on.
    const followed = new URL(location, new URL('/locale', baseUrl()));
    expect(followed.origin).toBe(baseUrl());
    expect(location.startsWith('/')).toBe(true);
    expect(location.startsWith('//')).toBe(false);
    expect(location).not.toContain('\\');
  });

  it('keeps an ordinary return path, normalized', async () => {
    const res = await switchLanguage('/demo/./x/../?tab=1');
    expect(res.headers.get('location')).toBe('/demo/?tab=1');
  });
});

describe('state-changing POSTs from another origin', () => {
  it.each(['/locale', '/demo/logout'])('%s answers 403 with a localized page and changes nothing', async (path) => {
    const res = await fetch(new URL(path, baseUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'accept-language': 'zh-TW' },
      body: new URLSearchParams({ locale: 'ja', return_to: '/' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(htmlLang(html)).toBe('zh-TW');
    expect(alerts(html)).toEqual(['此表單是從其他網站送出的，因此未被接受。請返回應用程式再試一次。']);
    expect(visibleText(html)).toContain('request.cross_origin');
  });

  it('the same POST from our own origin goes through', async () => {
    const res = await switchLanguage('/', { origin: baseUrl() });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('NEXT_LOCALE=ja;'))).toBe(true);
  });
});

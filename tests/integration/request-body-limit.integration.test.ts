import { describe, expect, it } from 'vitest';
import { baseUrl } from './_support/oidc';
import { postUnfinished } from './_support/unfinished-post';

// Next.js route handlers buffer a whole body; the production server refuses oversized and
// unsized uploads to them first (lib/http/request-body-limit.ts), with a localized page.

/** A form POST that declares `declared` bytes (or none: chunked) and sends `sent` of them, without ending. */
function postForm(path: string, opts: { declared?: number; sent: number; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers };
  if (opts.declared !== undefined) headers['content-length'] = String(opts.declared);
  return postUnfinished(path, `email=${'a'.repeat(opts.sent)}`, headers);
}

describe('request bodies of the pages (Next.js routes)', () => {
  it('refuses a form declared over 64 KiB with a localized 413 page, before the upload ends', async () => {
    const answer = await postForm('/interaction/some-interaction/login', { declared: 10 * 1024 * 1024, sent: 1024, headers: { 'accept-language': 'ja' } });
    expect(answer.status).toBe(413);
    expect(answer.contentType).toContain('text/html');
    expect(answer.text).toContain('リクエストが大きすぎます');
    expect(answer.text).toContain('request.too_large');
  });

  it('refuses an upload that does not declare its length (411), in the language asked for', async () => {
    const answer = await postForm('/locale', { sent: 10, headers: { 'accept-language': 'zh-TW' } });
    expect(answer.status).toBe(411);
    expect(answer.text).toContain('此上傳未標明大小');
  });

  it('lets an ordinary form through to its route', async () => {
    const res = await fetch(new URL('/locale', baseUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ locale: 'ja', return_to: '/' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import { translateCode } from '../i18n/translator';
import { LOCALE_COOKIE, resolveLocale } from '../i18n/locales';
import { cookieValue } from '../infra/http/cookie-value';
import { escapeHtml, renderHtmlPage } from '../protocol/pages/html-page';

/**
 * Next.js route handlers read a whole request body into memory (`formData()`, `text()`) with no
 * limit. Our forms are a few hundred bytes, so server.mjs refuses, before Next.js sees them, a
 * body declared larger than this (413) and an upload of undeclared length (411: browsers always
 * send Content-Length with a form). /oidc/ (oidc-provider caps its own bodies) and the JSON flow
 * API (lib/http/capped-body.ts) read theirs with a cap.
 */
export const MAX_PAGE_BODY_BYTES = 64 * 1024;

export type BodyLimitHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Where server.mjs looks for the handler; see publishBodyLimitHandler. */
export const BODY_LIMIT_HANDLER_KEY = '__meridianBodyLimitHandler';

/** 413, 411, or null when the request may go on. */
export function bodyLimitStatus(headers: IncomingMessage['headers']): 411 | 413 | null {
  const declared = headers['content-length'];
  if (declared === undefined) return headers['transfer-encoding'] ? 411 : null;
  const length = Number(declared);
  return Number.isFinite(length) && length <= MAX_PAGE_BODY_BYTES ? null : 413;
}

/** Answers a refused request with a localized page and returns true; false lets it through. */
export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse): boolean {
  const status = bodyLimitStatus(req.headers);
  if (status === null) return false;
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  };
  const locale = resolveLocale({ cookie: cookieValue(header('cookie'), LOCALE_COOKIE), acceptLanguage: header('accept-language') });
  const code = status === 413 ? 'request.too_large' : 'request.length_required';
  const title = translateCode(locale, 'error.title');
  const body = `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(translateCode(locale, `error.${code}`))}</p><p class="muted">${escapeHtml(translateCode(locale, 'error.code', { code }))}</p>`;
  const html = renderHtmlPage(locale, title, body);
  // The rest of the upload is not read: close the connection rather than drain it.
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html), connection: 'close' });
  res.end(html);
  return true;
}

/** Makes the check reachable from server.mjs through globalThis, like the direct handlers. */
export function publishBodyLimitHandler(): void {
  (globalThis as Record<string, unknown>)[BODY_LIMIT_HANDLER_KEY] = refuseOversizedBody;
}

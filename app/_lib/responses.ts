import { getTranslator } from '@/lib/i18n/translator';
import { renderHtmlPage, escapeHtml } from '@/lib/protocol/pages/html-page';
import { requestErrorLocale, requestErrorResponse } from '@/lib/http/request-error-page';

/** 303 See Other: after a form POST the browser follows with a GET (post/redirect/get). */
export function seeOther(location: string, ...cookies: string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const c of cookies) headers.append('set-cookie', c);
  return new Response(null, { status: 303, headers });
}

/** 503 with Retry-After when password hashing is at capacity: shed load, never queue unbounded. */
export function busyResponse(request: Request): Response {
  const locale = requestErrorLocale(request.headers.get('cookie'), request.headers.get('accept-language'));
  const t = getTranslator(locale);
  const html = renderHtmlPage(locale, t('error.title'), `<h1>${escapeHtml(t('error.title'))}</h1><p role="alert">${escapeHtml(t('error.server.busy'))}</p>`);
  return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '1', 'cache-control': 'no-store' } });
}

/**
 * 403 for a form POST from another origin (cross-site request forgery defence): a localized page
 * with a stable code, never the plain word.
 */
export function forbiddenResponse(request: Request): Response {
  return requestErrorResponse(request.headers, 403, 'request.cross_origin');
}

import { resolveLocale, type SupportedLocale } from '../i18n/locales';
import { translateCode } from '../i18n/translator';
import { cookieValue } from './cookie-value';
import { localeCookieName } from './cookie-names';
import { escapeHtml, renderHtmlPage } from '../protocol/pages/html-page';

/**
 * A request refused before any flow ran (foreign origin, body of the wrong type or size, a
 * malformed URL): a small localized page with the stable code `request.<reason>` for support.
 * Message keys are `error.request.<reason>` in messages/*.json.
 */
export type RequestErrorCode =
  | 'request.cross_origin'
  | 'request.too_large'
  | 'request.length_required'
  | 'request.unsupported_media_type'
  | 'request.malformed_body'
  | 'request.malformed_url';

/** The language of an error page: the switcher's cookie, then Accept-Language (no flow to ask). */
export function requestErrorLocale(cookieHeader: string | null, acceptLanguage: string | null): SupportedLocale {
  return resolveLocale({ cookie: cookieValue(cookieHeader, localeCookieName()), acceptLanguage });
}

export function requestErrorHtml(locale: SupportedLocale, code: RequestErrorCode): string {
  const title = translateCode(locale, 'error.title');
  const body = `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(translateCode(locale, `error.${code}`))}</p><p class="muted">${escapeHtml(translateCode(locale, 'error.code', { code }))}</p>`;
  return renderHtmlPage(locale, title, body);
}

/** The page as a Web Response, in the language the request asks for. */
export function requestErrorResponse(headers: Headers, status: number, code: RequestErrorCode): Response {
  const locale = requestErrorLocale(headers.get('cookie'), headers.get('accept-language'));
  return new Response(requestErrorHtml(locale, code), { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

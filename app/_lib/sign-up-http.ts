import { isAppError, type AppError } from '@/lib/domain/errors';
import type { SupportedLocale } from '@/lib/i18n/locales';
import { getTranslator, translateCode } from '@/lib/i18n/translator';
import { escapeHtml, renderHtmlPage } from '@/lib/protocol/pages/html-page';

/** HTTP helpers of the sign-up browser routes (the JSON API is lib/http/flow-api.ts). */

const NO_STORE = { 'cache-control': 'no-store' };

/** A form submission (the server-rendered page) as flat string values; JSON goes to lib/http/flow-api.ts. */
export function formSubmissionValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string' && !(k in values)) values[k] = v;
  return values;
}

export function appErrorOf(e: unknown): AppError | null {
  return isAppError(e) ? e : null;
}

/** A small HTML error page for the browser entry points (GET /signup…), with a link to start again. */
export function errorPage(error: Pick<AppError, 'code' | 'status' | 'details'>, locale: SupportedLocale, startAgain: string | null): Response {
  const t = getTranslator(locale);
  const title = t('error.title');
  const link = startAgain ? `<p><a href="${escapeHtml(startAgain)}">${escapeHtml(t('signupPage.startAgain'))}</a></p>` : '';
  const body = `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(translateCode(locale, error.code, error.details))}</p>${link}`;
  const retry = error.details?.retryAfterSeconds;
  return new Response(renderHtmlPage(locale, title, body), {
    status: error.status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE, ...(retry ? { 'retry-after': String(retry) } : {}) },
  });
}

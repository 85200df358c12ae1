import { isAppError, type AppError } from '@/lib/domain/errors';
import type { Flow } from '@/lib/domain/flows/flow';
import { matchAcceptLanguage, matchLocale, type SupportedLocale } from '@/lib/i18n/locales';
import { getTranslator, translateCode } from '@/lib/i18n/translator';
import { escapeHtml, renderHtmlPage } from '@/lib/protocol/pages/html-page';

/** HTTP helpers of the sign-up routes (JSON API and browser routes). */

const NO_STORE = { 'cache-control': 'no-store' };

export function flowJson(flow: Flow, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(flow, { status, headers: { ...NO_STORE, ...headers } });
}

/** `{ error: { id, text, status } }`: `id` is the message key, `text` its translation. */
export function errorJson(error: Pick<AppError, 'code' | 'status' | 'details'>, locale: SupportedLocale, headers: Record<string, string> = {}): Response {
  const text = translateCode(locale, error.code === 'server.busy' ? 'error.server.busy' : error.code, error.details);
  const retry = error.details?.retryAfterSeconds;
  return Response.json(
    { error: { id: error.code, text, status: error.status } },
    { status: error.status, headers: { ...NO_STORE, ...(retry ? { 'retry-after': String(retry) } : {}), ...headers } },
  );
}

export function isJsonRequest(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json');
}

/** The locale a JSON client asks for: `?locale=`, else Accept-Language; null = the flow's own. */
export function requestedLocale(request: Request): SupportedLocale | null {
  const query = new URL(request.url).searchParams.get('locale');
  return (query ? matchLocale(query) : undefined) ?? matchAcceptLanguage(request.headers.get('accept-language')) ?? null;
}

/** A submission as flat string values: JSON (booleans as "true"; false and null left out) or a form. */
export async function readSubmission(request: Request): Promise<Record<string, string> | null> {
  if (isJsonRequest(request)) {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return null;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') values[k] = v;
      else if (typeof v === 'number' && Number.isFinite(v)) values[k] = String(v);
      else if (v === true) values[k] = 'true';
    }
    return values;
  }
  try {
    const form = await request.formData();
    const values: Record<string, string> = {};
    for (const [k, v] of form.entries()) if (typeof v === 'string' && !(k in values)) values[k] = v;
    return values;
  } catch {
    return null;
  }
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

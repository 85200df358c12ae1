import type { AppError } from '../domain/errors';
import type { Flow } from '../domain/flows/flow';
import type { SupportedLocale } from '../i18n/locales';
import { translateCode } from '../i18n/translator';
import type { FlowApiResponse } from './flow-api-types';

const JSON_TYPE = 'application/json';

export function flowResponse(flow: Flow, status = 200, headers: Record<string, string> = {}): FlowApiResponse {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers }, body: JSON.stringify(flow) };
}

/** `{ error: { id, text, status } }`: `id` is the message key, `text` its translation. */
export function errorResponse(error: Pick<AppError, 'code' | 'status' | 'details'>, locale: SupportedLocale, headers: Record<string, string> = {}): FlowApiResponse {
  const text = translateCode(locale, error.code === 'server.busy' ? 'error.server.busy' : error.code, error.details);
  const retry = error.details?.retryAfterSeconds;
  return {
    status: error.status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...(retry ? { 'retry-after': String(retry) } : {}), ...headers },
    body: JSON.stringify({ error: { id: error.code, text, status: error.status } }),
  };
}

/** The answer to a failure before any response was made (no details leak; the log has them). */
export function serverErrorResponse(locale: SupportedLocale): FlowApiResponse {
  return errorResponse({ code: 'server.error', status: 500, details: undefined }, locale);
}

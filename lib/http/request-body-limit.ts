import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestErrorHtml, requestErrorLocale } from './request-error-page';

/**
 * Next.js route handlers read a whole request body into memory (`formData()`, `text()`) with no
 * limit. Our forms are a few hundred bytes, so server.mjs refuses, before Next.js sees them, a
 * body declared larger than this (413) and an upload of undeclared length (411: browsers always
 * send Content-Length with a form). /oidc/ (oidc-provider caps its own bodies) and the JSON flow
 * API (lib/http/capped-body.ts) read theirs with a cap.
 */
export const MAX_PAGE_BODY_BYTES = 64 * 1024;

/** `headers` are set on the refusal only (server.mjs's own, e.g. the CSP): a request let through gets Next's. */
export type BodyLimitHandler = (req: IncomingMessage, res: ServerResponse, headers?: [string, string][]) => boolean;

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
export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, headers: [string, string][] = []): boolean {
  const status = bodyLimitStatus(req.headers);
  if (status === null) return false;
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  };
  const html = requestErrorHtml(requestErrorLocale(header('cookie'), header('accept-language')), status === 413 ? 'request.too_large' : 'request.length_required');
  for (const [name, value] of headers) res.setHeader(name, value);
  // The rest of the upload is not read: close the connection rather than drain it.
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html), connection: 'close' });
  res.end(html);
  return true;
}

/** Makes the check reachable from server.mjs through globalThis, like the direct handlers. */
export function publishBodyLimitHandler(): void {
  (globalThis as Record<string, unknown>)[BODY_LIMIT_HANDLER_KEY] = refuseOversizedBody;
}

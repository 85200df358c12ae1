import { getEnv } from '../../config/env';

/**
 * Form POSTs must come from our own pages. Browsers always send Origin on POST; a request
 * without it (curl, a benchmark) is not a cross-site browser request and is let through.
 */
export function isSameOriginPost(request: Request): boolean {
  return isSameOriginHeader(request.headers.get('origin'));
}

/** isSameOriginPost for a request's Origin header value (null when absent). */
export function isSameOriginHeader(origin: string | null): boolean {
  return origin === null || origin === getEnv().publicUrl.origin;
}

/** A relative path on this site, or the fallback: never an open redirect. */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  try {
    const url = new URL(value, 'http://internal.invalid');
    return url.origin === 'http://internal.invalid' ? `${url.pathname}${url.search}` : fallback;
  } catch {
    return fallback;
  }
}

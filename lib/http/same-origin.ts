import { getEnv } from '../config/env';

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

/**
 * A path on this site, or the fallback: never an open redirect. The value is first resolved the
 * way a browser resolves a Location (WHATWG URL parser against our public origin: dot segments,
 * `%2e`, backslashes, tabs and newlines), then only a result on our origin whose path cannot be
 * read as scheme-relative (`//host`) is kept, in that normalized form.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  const origin = getEnv().publicUrl.origin;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin || url.pathname.startsWith('//')) return fallback;
  const path = `${url.pathname}${url.search}`;
  // The answer is what the browser resolves next: check that it stays here too.
  return new URL(path, origin).origin === origin ? path : fallback;
}

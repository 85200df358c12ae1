import { randomBytes } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { CSP_NONCE_HEADER, contentSecurityPolicy, transportHeaders } from './security-headers.mjs';
import { getEnv } from './lib/config/env';
import { requestErrorResponse } from './lib/http/request-error-page';
import { isWellFormedPath } from './lib/http/well-formed-path';

function withTransportHeaders<T extends Response>(response: T): T {
  for (const [name, value] of transportHeaders(getEnv().publicUrl.href)) response.headers.set(name, value);
  return response;
}

/**
 * Runs before every request Next.js serves (not /oidc/: the provider sets its own headers,
 * lib/protocol/pages/security-headers.ts):
 * - a malformed percent-escape in the path is a localized 400 (Next would answer 500);
 * - a fresh nonce per request, in a Content-Security-Policy on the request (Next.js puts that
 *   nonce on its own scripts when it renders) and on the response, plus HSTS over https.
 */
export function proxy(request: NextRequest) {
  if (!isWellFormedPath(request.nextUrl.pathname)) {
    const refused = requestErrorResponse(request.headers, 400, 'request.malformed_url');
    refused.headers.set('content-security-policy', contentSecurityPolicy());
    return withTransportHeaders(refused);
  }
  const nonce = randomBytes(16).toString('base64');
  const policy = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV === 'development' });
  const forwarded = new Headers(request.headers);
  forwarded.set(CSP_NONCE_HEADER, nonce);
  forwarded.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set('content-security-policy', policy);
  return withTransportHeaders(response);
}

export const config = {
  // Static build assets carry no script of ours; /oidc/ is the provider's. /api/ answers JSON (no
  // scripts to nonce; a malformed path there is Next's 404), and a proxy run cost a resource-server
  // request ~0.5 ms of CPU, +50% (docs/performance-history.md, session 20).
  matcher: ['/((?!_next/static|_next/image|favicon.ico|oidc/|api/).*)'],
};

// Response headers. next.config.mjs applies SECURITY_HEADERS to what Next.js serves (fixed at
// build time); what depends on the running server (HSTS from PUBLIC_URL, CSP nonces) is added at
// request time: by proxy.ts for Next's pages, by server.mjs and the provider (lib/protocol/pages/
// security-headers.ts) for what they answer themselves.
export const SECURITY_HEADERS = [
  ['X-Content-Type-Options', 'nosniff'],
  // same-origin, not no-referrer: URLs (interaction ids, codes) never leak to other sites, but
  // browsers still send our Origin on our own form POSTs (no-referrer makes it "null",
  // which the same-origin POST check refuses).
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
];

/** The request header proxy.ts passes each page's CSP nonce in (for script elements we render ourselves). */
export const CSP_NONCE_HEADER = 'x-nonce';

/** Two years, subdomains included: the lifetime browsers' preload lists ask for. */
const HSTS = ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains'];

/** HSTS only when the public URL is https: over plain http browsers ignore it, and localhost must stay usable. */
export function transportHeaders(publicUrl) {
  return String(publicUrl ?? '').startsWith('https:') ? [HSTS] : [];
}

/**
 * The Content-Security-Policy. With a nonce (Next.js pages: proxy.ts makes one per request and
 * Next puts it on its own scripts), scripts run only with that nonce or when a nonced script
 * loads them ('strict-dynamic'); without one (pages the provider renders, error pages), only
 * same-origin script files (oidc-provider adds the hash of its form_post script itself).
 * No form-action: Chromium applies it to the redirects after a form post, and sign-in and logout
 * forms end, by design, at the relying party's redirect URI on another origin.
 * `development`: `next dev` evaluates modules (React Refresh) and its overlay injects styles, so
 * only there scripts may eval and styles be inline; a production build never asks for it.
 */
export function contentSecurityPolicy(nonce, { development = false } = {}) {
  const scripts = `${nonce ? `'self' 'nonce-${nonce}' 'strict-dynamic'` : `'self'`}${development ? ` 'unsafe-eval'` : ''}`;
  const styles = development ? `'self' 'unsafe-inline'` : nonce ? `'self' 'nonce-${nonce}'` : `'self'`;
  return [
    `default-src 'self'`,
    `script-src ${scripts}`,
    `style-src ${styles}`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** Every header server.mjs puts on what it answers without Next.js (/oidc, the JSON flow API, refused bodies). */
export function directResponseHeaders(publicUrl) {
  return [...SECURITY_HEADERS, ...transportHeaders(publicUrl), ['Content-Security-Policy', contentSecurityPolicy()]];
}

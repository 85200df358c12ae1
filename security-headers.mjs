// Response headers for every path: next.config.mjs applies them to what Next.js serves, server.mjs
// to what it hands to oidc-provider directly.
export const SECURITY_HEADERS = [
  ['X-Content-Type-Options', 'nosniff'],
  // same-origin, not no-referrer: URLs (interaction ids, codes) never leak to other sites, but
  // browsers still send our Origin on our own form POSTs (no-referrer makes it "null",
  // which the same-origin POST check refuses).
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
];

// Who the client is, decided once per request where the request comes in (plain JS: server.mjs
// imports it before Next.js is loaded). The decision travels to route handlers, pages and
// oidc-provider as a header that is believed only next to this process's boot secret
// (lib/http/client-ip.ts reads it): a client can send the header, never the secret.
//
// Two ways a request comes in, one stamp:
// - server.mjs makes the secret before Next.js starts and stamps every request it receives;
// - `next start` alone: instrumentation.ts finds no secret, makes one and stamps each request
//   through Node's `http.server.request.start` diagnostics channel, which runs before the
//   server's 'request' event, so before Next.js reads a header.
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';

/** Headers a client or a proxy may send to say where a request came from: never believed as sent. */
export const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded', 'x-real-ip'];

/** The client's address as the stamp decided it. */
export const CLIENT_IP_HEADER = 'x-meridian-client-ip';
/** This process's boot secret, next to CLIENT_IP_HEADER: without it that header is ignored. */
export const CLIENT_IP_PROOF_HEADER = 'x-meridian-client-ip-proof';

const SECRET_KEY = Symbol.for('meridian.clientIpSecret');

/** The per-boot secret, made on first call (random, never written anywhere). */
export function bootClientIpSecret() {
  globalThis[SECRET_KEY] ??= randomBytes(32).toString('base64url');
  return globalThis[SECRET_KEY];
}

/** The per-boot secret, or undefined before anything stamps requests in this process. */
export function findClientIpSecret() {
  return globalThis[SECRET_KEY];
}

function normalizeIp(ip) {
  return ip?.startsWith('::ffff:') ? ip.slice(7) : (ip ?? 'unknown');
}

/**
 * The right-most address not belonging to a trusted proxy, else the socket peer. Only a peer in
 * `trustedProxies` (TRUSTED_PROXY_IPS) makes X-Forwarded-For count at all.
 */
export function decideClientIp(req, trustedProxies) {
  const peer = normalizeIp(req.socket?.remoteAddress);
  if (!trustedProxies.has(peer)) return peer;
  const chain = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => normalizeIp(s.trim()))
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    if (!trustedProxies.has(chain[i])) return chain[i];
  }
  return peer;
}

/**
 * A function that stamps a Node request: forwarding headers and any client-sent copy of ours are
 * removed, then the decided address and the boot secret are set.
 */
export function clientIpStamp(trustedProxyIps) {
  const trustedProxies = new Set(trustedProxyIps);
  const secret = bootClientIpSecret();
  return (req) => {
    const ip = decideClientIp(req, trustedProxies);
    for (const h of FORWARDING_HEADERS) delete req.headers[h];
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers[CLIENT_IP_PROOF_HEADER] = secret;
  };
}

/** Stamps every request any HTTP server of this process receives (`next start` without server.mjs). */
export function stampEveryRequest(trustedProxyIps) {
  const stamp = clientIpStamp(trustedProxyIps);
  subscribe('http.server.request.start', ({ request }) => stamp(request));
}

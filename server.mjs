// Production (and dev) HTTP server: Next.js behind a thin Node server. It decides the client's IP
// from the socket (lib/http/client-ip-stamp.mjs, the same stamp `next start` alone gets from
// instrumentation.ts), so no handler ever trusts a client-sent forwarding header.
// Requests for /oidc/… go straight to the one oidc-provider handler (lib/protocol/node-handler.ts,
// published on globalThis by instrumentation.ts when Next starts), the handler the route
// app/oidc/[...path]/route.ts serves them with: Next's routing and the Web Request round trip cost
// more than the provider itself. Until it is published (dev mode may load it later), they go
// through Next to that route. The sign-up JSON flow API goes the same way to
// lib/http/flow-api-node.ts (fallback: app/api/flows/…).
import { createServer } from 'node:http';
import { clientIpStamp } from './lib/http/client-ip-stamp.mjs';
import { directResponseHeaders } from './security-headers.mjs';

const dev = process.argv.includes('--dev');
// next() reads NODE_ENV at import time in places; set it the way `next start` would.
process.env.NODE_ENV ??= dev ? 'development' : 'production';
const port = Number(process.env.PORT ?? 3000);
// '::' accepts IPv4 too, so `localhost` works whichever address it resolves to.
const hostname = process.env.HOST ?? '::';
// Makes this boot's secret before Next.js loads: instrumentation.ts then stamps nothing itself.
const stampClientIp = clientIpStamp((process.env.TRUSTED_PROXY_IPS ?? '').split(',').map((s) => s.trim()).filter(Boolean));
// What Next.js does not answer gets its headers here (CSP, and HSTS when PUBLIC_URL is https).
const DIRECT_HEADERS = directResponseHeaders(process.env.PUBLIC_URL);

// Next's node environment replaces the global Date with a wrapper that reports every clock read
// to cacheComponents prerendering. Without cacheComponents the wrapper only costs time: two
// async-storage lookups and a Reflect.construct per `new Date()`, ~80 µs of CPU per sign-up. The
// native one is put back once Next is up; the Date objects are the same either way.
const NativeDate = Date;
const { default: nextConfig } = await import('./next.config.mjs');
const { default: next } = await import('next');
const app = next({ dev, hostname: 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();
if (!dev) {
  // In production Next loads instrumentation.ts only at the first request. Its start-up checks
  // (environment, config, secrets, signing keys) must pass before we listen: run it now; on bad
  // setup it ends the process with exit code 1 and the reason. This is Next's own loader (an
  // internal module, so check it when upgrading Next); it runs register() once per process.
  const { ensureInstrumentationRegistered } = await import('next/dist/server/lib/router-utils/instrumentation-globals.external.js');
  await ensureInstrumentationRegistered(process.cwd(), nextConfig.distDir ?? '.next');
}
if (!dev && !nextConfig.cacheComponents && globalThis.Date !== NativeDate) {
  globalThis.Date = NativeDate;
  Object.defineProperty(NativeDate.prototype, 'constructor', { value: NativeDate, writable: true, configurable: true, enumerable: false });
}

/** Same key as OIDC_NODE_HANDLER_KEY in lib/protocol/node-handler.ts. */
const oidcHandler = () => globalThis.__meridianOidcNodeHandler;
/** Same key as FLOW_API_NODE_HANDLER_KEY in lib/http/flow-api-node.ts. */
const flowApiHandler = () => globalThis.__meridianFlowApiNodeHandler;
/** Same key as BODY_LIMIT_HANDLER_KEY in lib/http/request-body-limit.ts. */
const bodyLimit = () => globalThis.__meridianBodyLimitHandler;
const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** RFC 8414 metadata of the issuer ${PUBLIC_URL}/oidc (lib/protocol/static-endpoints.ts rfc8414MetadataPath). */
const OAUTH_METADATA_PATH = '/.well-known/oauth-authorization-server/oidc';

const FLOW_PATH = /^\/api\/flows(\/[^/?]+)?(?:\?|$)/;

/**
 * The sign-up JSON flow API: GET /api/flows/<id>, and POST /api/flows[/<id>] with a JSON body.
 * Form posts (the server-rendered pages) and everything else stay with Next.
 */
function isFlowApiRequest(req) {
  const match = req.url?.startsWith('/api/flows') ? FLOW_PATH.exec(req.url) : null;
  if (!match) return false;
  if (req.method === 'GET') return match[1] !== undefined;
  return req.method === 'POST' && String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
}

createServer((req, res) => {
  stampClientIp(req);
  const direct = req.url?.startsWith('/oidc/') || req.url === OAUTH_METADATA_PATH ? oidcHandler() : isFlowApiRequest(req) ? flowApiHandler() : undefined;
  if (direct) {
    for (const [name, value] of DIRECT_HEADERS) res.setHeader(name, value);
    direct(req, res);
    return;
  }
  // Next.js would buffer any body whole: oversized and unsized uploads are refused first.
  const refuse = WITHOUT_BODY.has(req.method ?? 'GET') ? undefined : bodyLimit();
  if (refuse?.(req, res, DIRECT_HEADERS)) return;
  handle(req, res);
})
  .listen(port, hostname, () => {
    console.log(`Meridian ID listening on http://localhost:${port} (${dev ? 'development' : 'production'})`);
  });

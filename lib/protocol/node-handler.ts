import type { IncomingMessage, ServerResponse } from 'node:http';
import { getEnv } from '../config/env';
import { runDirectHandler } from '../infra/http/direct-handler';
import { getServices } from '../composition/services';
import { callbackOf } from './bridge';
import { isStaticPath, providerMetadataPath, rfc8414MetadataPath, writeStaticEndpoint } from './static-endpoints';

export type OidcNodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Where server.mjs looks for the handler; see publishOidcNodeHandler. */
export const OIDC_NODE_HANDLER_KEY = '__meridianOidcNodeHandler';

const FORWARDING = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded'];

let mount: { issuer: string; path: string } | undefined;

function mountPathOf(issuer: string): string {
  if (mount?.issuer !== issuer) mount = { issuer, path: new URL(issuer).pathname };
  return mount.path;
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const env = getEnv();
  const provider = await getServices().provider();
  const mount = mountPathOf(env.issuer);
  // The RFC 8414 location of the metadata is the provider's own document under another name.
  const requested = req.url ?? '/';
  const fullPath = requested === rfc8414MetadataPath(mount) ? providerMetadataPath(mount) : requested;
  // Host and protocol come from PUBLIC_URL, never from client headers (server.mjs strips the
  // forwarding headers too), so the provider cannot be made to mint URLs for another host.
  for (const h of FORWARDING) delete req.headers[h];
  req.headers.host = env.publicUrl.host;
  if (env.publicUrl.protocol === 'https:' && !(req.socket as { encrypted?: boolean }).encrypted) {
    // TLS ends at a proxy in front of us; koa derives ctx.protocol (and secure cookies) from this.
    Object.defineProperty(req.socket, 'encrypted', { value: true });
  }
  if (isStaticPath(req.method, fullPath, mount) && (await writeStaticEndpoint(provider, `${env.publicUrl.origin}${fullPath}`, res))) return;
  // As when mounted in express: the provider derives its mount path from originalUrl vs url.
  (req as IncomingMessage & { originalUrl: string }).originalUrl = fullPath;
  req.url = fullPath.startsWith(mount) ? fullPath.slice(mount.length) || '/' : fullPath;
  await callbackOf(provider)(req, res);
}

/**
 * Serves a request for /oidc/… with the Node req/res that server.mjs received, without Next.js
 * routing and without the Web Request/Response round trip of the route handler (that path cost
 * ~2 ms of CPU per token request; docs/performance.md).
 */
export function handleOidcNodeRequest(req: IncomingMessage, res: ServerResponse): void {
  runDirectHandler('oidc', req, res, serve, serverError);
}

/** The provider's own error shape (RFC 6749 §5.2), with a code, as its other failures have. */
function serverError(_req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 500;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ error: 'server_error', error_description: 'the authorization server could not handle this request' }));
}

/**
 * Makes the handler reachable from server.mjs (plain JS outside Next's module graph) through
 * globalThis, like the provider itself: the one provider, database client and caches are shared.
 */
export function publishOidcNodeHandler(): void {
  (globalThis as Record<string, unknown>)[OIDC_NODE_HANDLER_KEY] = handleOidcNodeRequest;
}

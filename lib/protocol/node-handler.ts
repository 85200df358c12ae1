import type { IncomingMessage, ServerResponse } from 'node:http';
import { getEnv } from '../config/env';
import { runDirectHandler } from '../http/direct-handler';
import { callbackOf } from './bridge';
import { fitToPublicUrl, mountOnProvider, mountPathOf, providerPathOf } from './oidc-request';
import { getServices } from '../composition/services';
import { isStaticPath, writeStaticEndpoint } from './static-endpoints';

export type OidcNodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Where server.mjs looks for the handler; see publishOidcNodeHandler. */
export const OIDC_NODE_HANDLER_KEY = '__meridianOidcNodeHandler';

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const env = getEnv();
  const provider = await getServices().provider();
  const mountPath = mountPathOf(env.issuer);
  const path = providerPathOf(req.url ?? '/', mountPath);
  fitToPublicUrl(req, env.publicUrl);
  if (isStaticPath(req.method, path, mountPath) && (await writeStaticEndpoint(provider, new URL(path, env.publicUrl), mountPath, res))) return;
  mountOnProvider(req, path, mountPath);
  await callbackOf(provider)(req, res);
}

/**
 * The one door into oidc-provider, for /oidc/… and the issuer's RFC 8414 metadata. The route
 * handler app/oidc/[...path]/route.ts calls it with a req/res made from its Web Request
 * (bridge.ts): that is how the app hosts the provider, `next start` alone included. server.mjs
 * calls it with the Node req/res it received, before Next's router: the same handler without
 * Next's routing and the Web Request round trip (~2 ms of CPU less per token request;
 * docs/performance.md). What the request is made to look like: oidc-request.ts.
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

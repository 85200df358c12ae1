import type { IncomingMessage } from 'node:http';
import { FORWARDING_HEADERS } from '../http/client-ip-stamp.mjs';

/**
 * How a request for the provider is fitted to it, the same for both ways in (node-handler.ts):
 * - host and scheme come from PUBLIC_URL, never from the request, so the provider cannot be made
 *   to mint URLs for another host; forwarding headers are dropped;
 * - the mount path (/oidc) is split off as when mounted in express;
 * - the client IP is the stamped one (lib/http/client-ip.ts, read by the provider's middleware);
 * - bodies: the provider reads them itself, capped (56 KiB), in both ways: the route handler's
 *   bridge streams the body rather than buffering it.
 */

const OAUTH_METADATA = '/.well-known/oauth-authorization-server';

/**
 * RFC 8414 §3.1: an issuer with a path (…/oidc) publishes its metadata at the host's well-known
 * URI followed by that path; the document is the one the provider serves under its mount.
 */
export function rfc8414MetadataPath(mountPath: string): string {
  return `${OAUTH_METADATA}${mountPath}`;
}

/** Where the provider itself serves the RFC 8414 document, for the path above. */
export function providerMetadataPath(mountPath: string): string {
  return `${mountPath}${OAUTH_METADATA}`;
}

let mount: { issuer: string; path: string } | undefined;

/** The provider's mount path, the issuer's path (/oidc). */
export function mountPathOf(issuer: string): string {
  if (mount?.issuer !== issuer) mount = { issuer, path: new URL(issuer).pathname };
  return mount.path;
}

/** The path and query the provider is asked for: the RFC 8414 location of its metadata is its own document. */
export function providerPathOf(requested: string, mountPath: string): string {
  const q = requested.indexOf('?');
  const path = q < 0 ? requested : requested.slice(0, q);
  return path === rfc8414MetadataPath(mountPath) ? `${providerMetadataPath(mountPath)}${q < 0 ? '' : requested.slice(q)}` : requested;
}

/** Host and scheme from the public URL; forwarding headers dropped. */
export function fitToPublicUrl(req: IncomingMessage, publicUrl: URL): void {
  for (const h of FORWARDING_HEADERS) delete req.headers[h];
  req.headers.host = publicUrl.host;
  if (publicUrl.protocol === 'https:' && !(req.socket as { encrypted?: boolean }).encrypted) {
    // TLS ends at a proxy in front of us; koa derives ctx.protocol (and secure cookies) from this.
    Object.defineProperty(req.socket, 'encrypted', { value: true });
  }
}

/** As when mounted in express: the provider derives its mount path from originalUrl vs url. */
export function mountOnProvider(req: IncomingMessage, providerPath: string, mountPath: string): void {
  (req as IncomingMessage & { originalUrl: string }).originalUrl = providerPath;
  req.url = providerPath.startsWith(mountPath) ? providerPath.slice(mountPath.length) || '/' : providerPath;
}

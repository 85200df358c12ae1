import type { ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { bridgeToProvider } from './bridge';

type Cached = { body: Buffer; headers: [string, string][] };

/** Discovery and JWKS only change with the provider: answer them from memory. */
const STATIC_SUFFIXES = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'];
const cache = new WeakMap<Provider, Map<string, Promise<Cached | null>>>();

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

/** True for a GET without query of discovery or JWKS under `mountPath`. */
export function isStaticPath(method: string | undefined, pathAndQuery: string, mountPath: string): boolean {
  if (method !== 'GET' || pathAndQuery.includes('?')) return false;
  return STATIC_SUFFIXES.some((s) => pathAndQuery === `${mountPath}${s}`);
}

export function isStaticEndpoint(request: Request, mountPath: string): boolean {
  const url = new URL(request.url);
  return isStaticPath(request.method, `${url.pathname}${url.search}`, mountPath);
}

async function render(provider: Provider, url: string): Promise<Cached | null> {
  const response = await bridgeToProvider(provider, new Request(url, { method: 'GET' }), undefined);
  if (response.status !== 200) return null;
  const headers: [string, string][] = [];
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie' && key !== 'date') headers.push([key, value]);
  });
  return { body: Buffer.from(await response.arrayBuffer()), headers };
}

/** The rendered endpoint at `url` (absolute), or null when the provider does not answer 200. */
async function cachedEndpoint(provider: Provider, url: string): Promise<Cached | null> {
  let perProvider = cache.get(provider);
  if (!perProvider) {
    perProvider = new Map();
    cache.set(provider, perProvider);
  }
  const path = new URL(url).pathname;
  let entry = perProvider.get(path);
  if (!entry) {
    entry = render(provider, url);
    perProvider.set(path, entry);
  }
  const cached = await entry;
  if (!cached) perProvider.delete(path);
  return cached;
}

export async function serveStaticEndpoint(provider: Provider, request: Request): Promise<Response | null> {
  const cached = await cachedEndpoint(provider, request.url);
  return cached ? new Response(new Uint8Array(cached.body), { status: 200, headers: cached.headers }) : null;
}

/** Writes the endpoint at `url` (absolute) to `res`; false when it has no cached answer. */
export async function writeStaticEndpoint(provider: Provider, url: string, res: ServerResponse): Promise<boolean> {
  const cached = await cachedEndpoint(provider, url);
  if (!cached) return false;
  for (const [key, value] of cached.headers) res.setHeader(key, value);
  res.setHeader('content-length', cached.body.length);
  res.statusCode = 200;
  res.end(cached.body);
  return true;
}

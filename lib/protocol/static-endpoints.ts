import type { ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { callbackOf, toNodePair } from './bridge';
import { mountOnProvider } from './oidc-request';

type Cached = { body: Buffer; headers: [string, string][] };

/** Discovery and JWKS only change with the provider: answer them from memory. */
const STATIC_SUFFIXES = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'];
const cache = new WeakMap<Provider, Map<string, Promise<Cached | null>>>();

/** True for a GET without query of discovery or JWKS under `mountPath`. */
export function isStaticPath(method: string | undefined, pathAndQuery: string, mountPath: string): boolean {
  if (method !== 'GET' || pathAndQuery.includes('?')) return false;
  return STATIC_SUFFIXES.some((s) => pathAndQuery === `${mountPath}${s}`);
}

async function render(provider: Provider, url: URL, mountPath: string): Promise<Cached | null> {
  const { req, res, done } = toNodePair(new Request(url, { method: 'GET' }));
  mountOnProvider(req, url.pathname, mountPath);
  await callbackOf(provider)(req, res);
  const response = await done;
  if (response.status !== 200) return null;
  const headers: [string, string][] = [];
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie' && key !== 'date') headers.push([key, value]);
  });
  return { body: Buffer.from(await response.arrayBuffer()), headers };
}

/** The rendered endpoint at `url` (absolute), or null when the provider does not answer 200. */
async function cachedEndpoint(provider: Provider, url: URL, mountPath: string): Promise<Cached | null> {
  let perProvider = cache.get(provider);
  if (!perProvider) {
    perProvider = new Map();
    cache.set(provider, perProvider);
  }
  let entry = perProvider.get(url.pathname);
  if (!entry) {
    entry = render(provider, url, mountPath);
    perProvider.set(url.pathname, entry);
  }
  const cached = await entry;
  if (!cached) perProvider.delete(url.pathname);
  return cached;
}

/** Writes the endpoint at `url` (absolute, under `mountPath`) to `res`; false when it has no cached answer. */
export async function writeStaticEndpoint(provider: Provider, url: URL, mountPath: string, res: ServerResponse): Promise<boolean> {
  const cached = await cachedEndpoint(provider, url, mountPath);
  if (!cached) return false;
  for (const [key, value] of cached.headers) res.setHeader(key, value);
  res.setHeader('content-length', cached.body.length);
  res.statusCode = 200;
  res.end(cached.body);
  return true;
}

import type Provider from 'oidc-provider';
import { bridgeToProvider } from './bridge';

type Cached = { body: ArrayBuffer; headers: [string, string][] };

/** Discovery and JWKS only change with the provider: answer them from memory. */
const STATIC_SUFFIXES = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'];
const cache = new WeakMap<Provider, Map<string, Promise<Cached | null>>>();

export function isStaticEndpoint(request: Request, mountPath: string): boolean {
  if (request.method !== 'GET') return false;
  const url = new URL(request.url);
  return !url.search && STATIC_SUFFIXES.some((s) => url.pathname === `${mountPath}${s}`);
}

async function render(provider: Provider, request: Request): Promise<Cached | null> {
  const response = await bridgeToProvider(provider, new Request(request.url, { method: 'GET' }), undefined);
  if (response.status !== 200) return null;
  const headers: [string, string][] = [];
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie' && key !== 'date') headers.push([key, value]);
  });
  return { body: await response.arrayBuffer(), headers };
}

export async function serveStaticEndpoint(provider: Provider, request: Request): Promise<Response | null> {
  let perProvider = cache.get(provider);
  if (!perProvider) {
    perProvider = new Map();
    cache.set(provider, perProvider);
  }
  const path = new URL(request.url).pathname;
  let entry = perProvider.get(path);
  if (!entry) {
    entry = render(provider, request);
    perProvider.set(path, entry);
  }
  const cached = await entry;
  if (!cached) {
    perProvider.delete(path);
    return null;
  }
  return new Response(cached.body.slice(0), { status: 200, headers: cached.headers });
}

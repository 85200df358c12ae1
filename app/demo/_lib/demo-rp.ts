import * as oidc from 'openid-client';
import { SignJWT, jwtVerify } from 'jose';
import { getEnv } from '@/lib/config/env';
import { getIdpConfig } from '@/lib/config/idp-config';

/**
 * The demo relying party: an ordinary OpenID Connect client of our own issuer, using the
 * first-party web client from idp.config.yaml. It keeps its state in signed cookies.
 */
export const DEMO_CLIENT_ID = 'demo-web';
export const DEMO_AUTH_COOKIE = 'demo_auth';
export const DEMO_SESSION_COOKIE = 'demo_session';

const holder = globalThis as unknown as { __meridianDemoRp?: Promise<oidc.Configuration>; __meridianDemoLoggedOut?: Set<string> };

export function demoUrl(path: string): string {
  return new URL(path, getEnv().publicUrl.origin).href;
}

export function getDemoRp(): Promise<oidc.Configuration> {
  holder.__meridianDemoRp ??= (async () => {
    const client = getIdpConfig().clients.find((c) => c.client_id === DEMO_CLIENT_ID);
    if (!client?.client_secret) throw new Error('idp.config.yaml has no demo-web client');
    const env = getEnv();
    const insecure = env.publicUrl.protocol === 'http:';
    return oidc.discovery(new URL(env.issuer), client.client_id, client.client_secret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
  })().catch((e: unknown) => {
    holder.__meridianDemoRp = undefined;
    throw e;
  });
  return holder.__meridianDemoRp;
}

function key(): Uint8Array {
  return new TextEncoder().encode(`demo-rp:${getEnv().cookieSecrets[0]}`);
}

export async function sealDemoCookie(payload: Record<string, unknown>, ttlSeconds: number): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(key());
}

export async function openDemoCookie<T>(value: string | undefined): Promise<T | null> {
  if (!value) return null;
  try {
    return (await jwtVerify(value, key(), { algorithms: ['HS256'] })).payload as T;
  } catch {
    return null;
  }
}

export function demoCookie(name: string, value: string, maxAgeSeconds: number): string {
  const secure = getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
  return `${name}=${value}; Path=/demo; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

/** Sessions ended by back-channel logout (sid values); an in-memory demo, not a session store. */
export function loggedOutSids(): Set<string> {
  holder.__meridianDemoLoggedOut ??= new Set();
  return holder.__meridianDemoLoggedOut;
}

export type DemoSession = { claims: Record<string, unknown>; idToken: string };

import { createHash } from 'node:crypto';
import * as jose from 'jose';
import * as openidClient from 'openid-client';
import { expect, inject } from 'vitest';
import { type Browser, type Landing, expectPage, expectRedirect } from './browser';
import type { TestAccount } from './cli';

/**
 * openid-client, with OAuth error responses made readable in failures: a ResponseBodyError's
 * message gains the `error`, `error_description` and HTTP status the server sent.
 */
const NETWORK_OPERATIONS = new Set([
  'discovery',
  'authorizationCodeGrant',
  'refreshTokenGrant',
  'clientCredentialsGrant',
  'genericGrantRequest',
  'tokenIntrospection',
  'tokenRevocation',
  'fetchUserInfo',
  'buildAuthorizationUrlWithPAR',
]);

export const client: typeof openidClient = new Proxy(openidClient, {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver) as unknown;
    // Only the requests are wrapped: everything else (classes, `execute` helpers compared by identity) stays as is.
    if (typeof value !== 'function' || typeof property !== 'string' || !NETWORK_OPERATIONS.has(property)) return value;
    return (...args: unknown[]) => {
      const result = (value as (...a: unknown[]) => unknown)(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((e: unknown) => {
        if (e instanceof openidClient.ResponseBodyError && !e.message.includes(e.error)) {
          e.message = `${e.message}: HTTP ${e.status} ${e.error}${e.error_description ? ` (${e.error_description})` : ''}`;
        }
        throw e;
      });
    };
  },
});

export function baseUrl(): string {
  return inject('baseUrl');
}

export function issuer(): string {
  return `${baseUrl()}/oidc`;
}

export const ACR_AAL1 = 'urn:meridian:aal1';

/** The demo clients of idp.config.yaml, as a relying party knows them. */
export const CLIENTS = {
  demoWeb: (base = baseUrl()) => ({ id: 'demo-web', secret: 'demo-web-secret-0123456789', redirectUri: `${base}/demo/callback`, postLogoutRedirectUri: `${base}/demo` }),
  demoNative: () => ({ id: 'demo-native', secret: undefined, redirectUri: 'com.meridian.demo:/oauth2redirect', postLogoutRedirectUri: 'com.meridian.demo:/logout' }),
  demoService: () => ({ id: 'demo-service', secret: 'demo-service-secret-0123456789', redirectUri: undefined, postLogoutRedirectUri: undefined }),
  partnerApp: (base = baseUrl()) => ({ id: 'partner-app', secret: 'partner-app-secret-0123456789', redirectUri: `${base}/demo/partner-callback`, postLogoutRedirectUri: `${base}/demo` }),
} as const;

export type ClientName = keyof typeof CLIENTS;

/** A client as a relying party at `base` knows it (only the web clients' URIs depend on it). */
const clientAt = (name: ClientName, base?: string) => (CLIENTS[name] as (base?: string) => ReturnType<(typeof CLIENTS)[ClientName]>)(base);

/**
 * An openid-client Configuration from discovery (http allowed: the test server has no TLS);
 * `base` is the server's origin when it is not the shared test server.
 */
export async function relyingParty(name: ClientName, base = baseUrl()): Promise<openidClient.Configuration> {
  const c = clientAt(name, base);
  const metadata: Partial<openidClient.ClientMetadata> = c.redirectUri ? { redirect_uris: [c.redirectUri] } : {};
  const auth = c.secret ? client.ClientSecretBasic(c.secret) : client.None();
  return client.discovery(new URL(`${base}/oidc`), c.id, metadata, auth, { execute: [client.allowInsecureRequests] });
}

export type PendingAuthorization = { url: URL; state: string; nonce: string; verifier: string; redirectUri: string };

/** An authorization URL with PKCE (S256), state and nonce; `extra` adds or overrides parameters. */
export async function authorizationRequest(
  config: openidClient.Configuration,
  name: ClientName,
  extra: Record<string, string> = {},
  options: { pkce?: boolean; base?: string } = {},
): Promise<PendingAuthorization> {
  const redirectUri = clientAt(name, options.base).redirectUri;
  if (!redirectUri) throw new Error(`${name} has no redirect_uri`);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params: Record<string, string> = { redirect_uri: redirectUri, scope: 'openid email profile', state, nonce, ...extra };
  if (options.pkce !== false) {
    params.code_challenge = await client.calculatePKCECodeChallenge(verifier);
    params.code_challenge_method = 'S256';
  }
  return { url: client.buildAuthorizationUrl(config, params), state, nonce, verifier, redirectUri };
}

/** A prompt=none authorization: the error (login_required) or the code it comes back with. */
export async function silentAuthorization(browser: Browser, config: openidClient.Configuration, name: ClientName, base = baseUrl()) {
  const pending = await authorizationRequest(config, name, { prompt: 'none' }, { base });
  const back = expectRedirect(await browser.navigate(pending.url, { stopAt: pending.redirectUri }), 'a prompt=none answer').location;
  return { error: back.searchParams.get('error'), code: back.searchParams.get('code') };
}

/** The uid of an interaction page URL (/interaction/<uid>). */
export function interactionUid(url: URL): string {
  const m = /^\/interaction\/([^/]+)$/.exec(url.pathname);
  if (!m?.[1]) throw new Error(`not an interaction page: ${url.href}`);
  return decodeURIComponent(m[1]);
}

/** Submits the sign-in form of the interaction page we are on, as a browser would, and follows the 303s. */
export async function submitSignIn(browser: Browser, page: Landing, credentials: { email: string; password: string }, stopAt?: string): Promise<Landing> {
  const onPage = expectPage(page, 'the sign-in page');
  const uid = interactionUid(onPage.url);
  return browser.navigate(`/interaction/${encodeURIComponent(uid)}/login`, { form: { email: credentials.email, password: credentials.password }, stopAt });
}

/** POST of the consent form (decision=allow|deny), then the 303s. */
export async function submitConsent(browser: Browser, page: Landing, decision: 'allow' | 'deny', stopAt?: string): Promise<Landing> {
  const onPage = expectPage(page, 'the consent page');
  const uid = interactionUid(onPage.url);
  return browser.navigate(`/interaction/${encodeURIComponent(uid)}/consent`, { form: { decision }, stopAt });
}

/**
 * The whole front channel for a client that needs no consent: authorization URL → sign-in page
 * → credentials → redirect to redirect_uri. Returns the callback URL (with code, state, iss).
 */
export async function signInAndGetCallback(browser: Browser, pending: PendingAuthorization, account: TestAccount): Promise<URL> {
  const page = await browser.navigate(pending.url, { stopAt: pending.redirectUri });
  expect(expectPage(page, 'the sign-in page').url.pathname).toMatch(/^\/interaction\//);
  const done = await submitSignIn(browser, page, account, pending.redirectUri);
  return expectRedirect(done, `a redirect to ${pending.redirectUri}`).location;
}

/** The code for tokens, with openid-client's checks (state, iss, nonce, PKCE). */
export function exchangeCode(config: openidClient.Configuration, callback: URL, pending: PendingAuthorization, checks: Partial<openidClient.AuthorizationCodeGrantChecks> = {}) {
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
    ...checks,
  });
}

let remoteJwks: ReturnType<typeof jose.createRemoteJWKSet> | undefined;

/** The server's published keys (refetched when an unknown kid appears). */
export function serverJwks() {
  remoteJwks ??= jose.createRemoteJWKSet(new URL(`${issuer()}/jwks`), { cooldownDuration: 0 });
  return remoteJwks;
}

export async function fetchJwks(): Promise<jose.JSONWebKeySet> {
  const res = await fetch(`${issuer()}/jwks`);
  expect(res.status).toBe(200);
  return (await res.json()) as jose.JSONWebKeySet;
}

/** OIDC Core 3.1.3.6: left half of the hash of the ASCII access token, base64url (hash from the alg). */
export function computeAtHash(accessToken: string, alg: string): string {
  const bits = alg === 'EdDSA' || alg === 'Ed25519' ? 512 : Number(/(256|384|512)$/.exec(alg)?.[1]);
  if (![256, 384, 512].includes(bits)) throw new Error(`no at_hash hash for alg ${alg}`);
  const digest = createHash(`sha${bits}`).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Calls `fn` and returns the OAuth error it must fail with (ResponseBodyError from the token-ish endpoints). */
export async function oauthError(fn: () => Promise<unknown>): Promise<openidClient.ResponseBodyError> {
  let result: unknown;
  try {
    result = await fn();
  } catch (e) {
    if (e instanceof openidClient.ResponseBodyError) return e;
    throw e;
  }
  // Show what came back instead (tokens themselves left out).
  const shown = result && typeof result === 'object' ? JSON.stringify(Object.fromEntries(Object.entries(result).filter(([k]) => !/token$/.test(k)))) : String(result);
  throw new Error(`expected an OAuth error response, but the request succeeded: ${shown}`);
}

/** Raw token endpoint POST with client_secret_basic (for requests openid-client would refuse to build). */
export async function tokenRequest(name: ClientName, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const c = CLIENTS[name]();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const form = new URLSearchParams(params);
  if (c.secret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;
  else form.set('client_id', c.id);
  const res = await fetch(`${issuer()}/token`, { method: 'POST', headers, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export { jose };

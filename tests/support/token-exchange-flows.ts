/**
 * Test support for token exchange, pairwise subjects and PPID conversion: the demo clients of
 * idp.config.yaml those features use, a code flow for any of them, client credentials, token
 * exchange through openid-client's genericGrantRequest, and JWT verification against the
 * server's JWKS. Used by tests/integration/{token-exchange,pairwise,ppid-conversion}*.
 */
import type { ClientMetadata, Configuration } from 'openid-client';
import { inject } from 'vitest';
import { Browser, expectRedirect } from '../integration/_support/browser';
import type { TestAccount } from '../integration/_support/cli';
import { baseUrl, client, issuer, jose, serverJwks, submitSignIn } from '../integration/_support/oidc';
import { signIssuerToken, type SignOptions } from './local-oidc-issuer';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TOKEN_TYPE = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

type ClientSpec = { id: string; secret?: string; redirectPath?: string };

/** The idp.config.yaml clients these tests use (default secrets). */
export const EXCHANGE_CLIENTS = {
  demoWeb: { id: 'demo-web', secret: 'demo-web-secret-0123456789', redirectPath: '/demo/callback' },
  demoNative: { id: 'demo-native', redirectPath: undefined },
  demoService: { id: 'demo-service', secret: 'demo-service-secret-0123456789' },
  travelWeb: { id: 'travel-web', secret: 'travel-web-secret-0123456789', redirectPath: '/demo/travel/callback' },
  hotelWeb: { id: 'hotel-web', secret: 'hotel-web-secret-0123456789', redirectPath: '/demo/hotel/callback' },
  marketplace: { id: 'marketplace-backend', secret: 'marketplace-backend-secret-0123456789' },
  ordersApi: { id: 'orders-api', secret: 'orders-api-secret-0123456789' },
  ciDeployer: { id: 'ci-deployer', secret: 'ci-deployer-secret-0123456789' },
} satisfies Record<string, ClientSpec>;

export type ExchangeClientName = keyof typeof EXCHANGE_CLIENTS;

export const RESOURCE = {
  demo: () => `${baseUrl()}/api/demo`,
  orders: () => `${baseUrl()}/api/orders`,
  ppid: () => `${baseUrl()}/api/ppid`,
};

const configs = new Map<string, Promise<Configuration>>();

/** openid-client configuration for one of the clients (discovery cached per client). */
export function rp(name: ExchangeClientName): Promise<Configuration> {
  const spec: ClientSpec = EXCHANGE_CLIENTS[name];
  let config = configs.get(spec.id);
  if (!config) {
    const metadata: Partial<ClientMetadata> = spec.redirectPath ? { redirect_uris: [`${baseUrl()}${spec.redirectPath}`] } : {};
    const auth = spec.secret ? client.ClientSecretBasic(spec.secret) : client.None();
    config = client.discovery(new URL(issuer()), spec.id, metadata, auth, { execute: [client.allowInsecureRequests] });
    configs.set(spec.id, config);
  }
  return config;
}

/**
 * The code flow for a client that needs no consent: sign-in page → credentials → callback →
 * tokens (with PKCE, state, nonce checks). `resource` asks for a JWT access token for it.
 */
export async function signIn(name: ExchangeClientName, account: TestAccount, options: { resource?: string; scope?: string } = {}) {
  const spec: ClientSpec = EXCHANGE_CLIENTS[name];
  if (!spec.redirectPath) throw new Error(`${spec.id} has no redirect_uri`);
  const redirectUri = `${baseUrl()}${spec.redirectPath}`;
  const config = await rp(name);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: options.scope ?? 'openid',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  if (options.resource) params.resource = options.resource;
  const browser = new Browser(baseUrl());
  const page = await browser.navigate(client.buildAuthorizationUrl(config, params), { stopAt: redirectUri });
  const callback = expectRedirect(await submitSignIn(browser, page, account, redirectUri), `a redirect to ${redirectUri}`).location;
  return client.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
    options.resource ? { resource: options.resource } : undefined,
  );
}

export async function clientCredentials(name: ExchangeClientName, resource: string, scope?: string): Promise<string> {
  const params: Record<string, string> = { resource };
  if (scope) params.scope = scope;
  return (await client.clientCredentialsGrant(await rp(name), params)).access_token;
}

/** A token exchange request (RFC 8693) as openid-client sends it. */
export async function exchange(name: ExchangeClientName, params: Record<string, string>) {
  return client.genericGrantRequest(await rp(name), TOKEN_EXCHANGE, params);
}

/** Verifies one of our JWT access tokens (signature, issuer, typ) and returns its claims. */
export async function verifyAccessToken(token: string, audience?: string): Promise<jose.JWTPayload> {
  const { payload, protectedHeader } = await jose.jwtVerify(token, serverJwks(), { issuer: issuer(), audience, typ: 'at+jwt' });
  if (protectedHeader.alg === 'none') throw new Error('unsigned');
  return payload;
}

export function claimsOf(jwt: string): jose.JWTPayload {
  return jose.decodeJwt(jwt);
}

export function ciIssuer() {
  return inject('ciIssuer');
}

/** A token from the local CI issuer (see tests/support/local-oidc-issuer.ts). */
export function ciToken(claims: Record<string, unknown>, options?: SignOptions): Promise<string> {
  return signIssuerToken(ciIssuer(), claims, options);
}

/** The subject the CI rules accept with read and write (idp.config.yaml trusted_issuers.ci). */
export const CI_MAIN_SUBJECT = 'repo:meridian/marketplace:ref:refs/heads/main';

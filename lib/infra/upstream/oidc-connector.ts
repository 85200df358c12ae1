import * as oidc from 'openid-client';
import type { SocialProviderConfig } from '../../config/schema/social-providers';
import type { UpstreamClaims } from '../../domain/sign-in/upstream-sign-in';

/**
 * The generic upstream OpenID Connect connector (openid-client): discovery (cached per provider
 * until it fails), authorization code with PKCE S256, state and nonce, ID token validation
 * (issuer, audience, signature, nonce, expiry; RFC 9207 `iss` when the provider supports it), and
 * the claims we use. Loopback http issuers are allowed (a provider a test starts); the config
 * schema refuses any other non-https issuer.
 */

const DISCOVERY_TIMEOUT_SECONDS = 5;

export type UpstreamAuthorization = { url: URL; state: string; nonce: string; codeVerifier: string };

function isLoopback(issuer: string): boolean {
  const host = new URL(issuer).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

async function discover(provider: SocialProviderConfig): Promise<oidc.Configuration> {
  const auth = provider.tokenEndpointAuthMethod === 'client_secret_post' ? oidc.ClientSecretPost(provider.clientSecret) : oidc.ClientSecretBasic(provider.clientSecret);
  return oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret || undefined, auth, {
    timeout: DISCOVERY_TIMEOUT_SECONDS,
    ...(isLoopback(provider.issuer) && new URL(provider.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
}

type Discoveries = Map<string, Promise<oidc.Configuration>>;

/** The provider's configuration; a failed discovery is retried on the next sign-in. */
function configurationOf(cache: Discoveries, provider: SocialProviderConfig): Promise<oidc.Configuration> {
  const key = `${provider.id}\u0000${provider.issuer}\u0000${provider.clientId}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = discover(provider);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/** Where to send the browser: the provider's authorization endpoint with a fresh state, nonce and PKCE challenge. */
async function buildUpstreamAuthorization(
  cache: Discoveries,
  provider: SocialProviderConfig,
  input: { redirectUri: string; uiLocales: string | null; loginHint?: string | null },
): Promise<UpstreamAuthorization> {
  const config = await configurationOf(cache, provider);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: input.redirectUri,
    scope: provider.scopes.join(' '),
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (input.uiLocales) params.ui_locales = input.uiLocales;
  if (input.loginHint) params.login_hint = input.loginHint;
  return { url: oidc.buildAuthorizationUrl(config, params), state, nonce, codeVerifier };
}

/**
 * Redeems the callback's code and validates the ID token; the claims we use. Throws on an
 * error response (`error=access_denied` when the person cancelled), a state or iss mismatch,
 * or an ID token that does not validate.
 */
async function completeUpstreamAuthorization(
  cache: Discoveries,
  provider: SocialProviderConfig,
  input: { callbackUrl: URL; state: string; nonce: string; codeVerifier: string },
): Promise<UpstreamClaims> {
  const config = await configurationOf(cache, provider);
  const tokens = await oidc.authorizationCodeGrant(config, input.callbackUrl, {
    expectedState: input.state,
    expectedNonce: input.nonce,
    pkceCodeVerifier: input.codeVerifier,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims?.sub) throw new Error('the ID token has no sub');
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email : null;
  const verifiedClaim = claims.email_verified === true || claims.email_verified === 'true';
  return { provider: provider.id, subject: claims.sub, email, emailVerified: email !== null && (verifiedClaim || provider.trustEmail) };
}

/** Whether the error is the provider's answer that the person cancelled or refused. */
function isUpstreamAccessDenied(e: unknown): boolean {
  return e instanceof oidc.AuthorizationResponseError && e.error === 'access_denied';
}

export type UpstreamConnector = {
  buildAuthorization(provider: SocialProviderConfig, input: Parameters<typeof buildUpstreamAuthorization>[2]): Promise<UpstreamAuthorization>;
  completeAuthorization(provider: SocialProviderConfig, input: Parameters<typeof completeUpstreamAuthorization>[2]): Promise<UpstreamClaims>;
  isAccessDenied(e: unknown): boolean;
};

/** A connector with its own discovery cache (one per process, held by the composition root). */
export function createUpstreamConnector(): UpstreamConnector {
  const cache: Discoveries = new Map();
  return {
    buildAuthorization: (provider, input) => buildUpstreamAuthorization(cache, provider, input),
    completeAuthorization: (provider, input) => completeUpstreamAuthorization(cache, provider, input),
    isAccessDenied: isUpstreamAccessDenied,
  };
}

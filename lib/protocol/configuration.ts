import type { Adapter, Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';
import type { Env } from '../config/env';
import type { IdpConfig } from '../config/idp-config-schema';
import { ACR_VALUES_SUPPORTED } from '../domain/assurance/assurance-levels';
import type { AccountRepository } from '../domain/accounts/account-repository';
import { SUPPORTED_LOCALES, UI_LOCALES_COOKIE, matchUiLocales } from '../i18n/locales';
import { isClientCorsOrigin } from './client-cors';
import { EXTRA_CLIENT_METADATA, isFirstParty, toClientMetadata } from './client-metadata';
import { createFindAccount, type LoadedAccount } from './find-account';
import { loadExistingGrant } from './first-party-grant';
import { accessTokenJwtSubject, exchangeIssuanceOf } from './grants/token-exchange-issuance';
import { buildInteractionPolicy } from './interaction-policy';
import { mayIntrospect } from './introspection-policy';
import { promptValuesSupported, type ReadinessOf } from './sign-up-prompts';
import { renderError } from './pages/error-page';
import { createLogoutSource, postLogoutSuccessSource } from './pages/logout-pages';
import { CLIENT_ASSERTION_ALGS, ID_TOKEN_SIGNING_ALGS } from '../config/schema/client-auth';
import { buildInternalNetworks } from '../config/schema/internal-networks';
import { createOutgoingFetch } from './outgoing-fetch';
import { crossSitePostSupported, providerCookieNames, sessionCookieOptions } from './session-cookie';
import { providerSigningJwks } from './signing-jwks';
import type { PairwiseRuntime } from './pairwise';
import { validateRegionParam, withClientRegionCheck } from './region-control';
import { createResourceServerInfo } from './resource-servers';

export type ConfigurationDeps = {
  env: Env;
  idp: IdpConfig;
  privateJwks: JWK[];
  accounts: AccountRepository;
  pairwise: PairwiseRuntime;
  /** The provider's storage: one adapter per model name (sessions, codes, grants…). */
  adapter: (model: string) => Adapter;
  /** The readiness prompt's question: has the account done its region's sign-up steps? */
  readinessOf: ReadinessOf;
};

const INTERACTION_TTL_SECONDS = 60 * 60;

type ClientLike = { clientId: string; clientAuthMethod?: string; applicationType?: string };

/** The token (code or refresh token) an access token is minted from, for acr/amr/auth_time. */
function sourceOf(ctx: KoaContextWithOIDC) {
  const e = ctx.oidc.entities as Record<string, { acr?: string; amr?: string[]; authTime?: number } | undefined>;
  return e.AuthorizationCode ?? e.RefreshToken ?? e.DeviceCode ?? e.BackchannelAuthenticationRequest;
}

export function buildConfiguration({ env, idp, privateJwks, accounts, pairwise, adapter, readinessOf }: ConfigurationDeps): Configuration {
  const interactionPolicy = buildInteractionPolicy(readinessOf);
  const secure = env.publicUrl.protocol === 'https:';
  const { policies } = idp;
  return {
    // Storage for sessions, interactions, grants, codes, refresh tokens and replay records.
    adapter,
    // Clients are declared in idp.config.yaml; there is no dynamic registration.
    clients: idp.clients.map(toClientMetadata),
    // ID tokens default to RS256, the OIDC default every relying party library verifies; a client
    // may register ES256, PS256 or EdDSA (id_token_signed_response_alg in idp.config.yaml).
    clientDefaults: { id_token_signed_response_alg: 'RS256', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
    // Our metadata (first_party, supported_regions, resources) travels with the client.
    extraClientMetadata: { properties: [...EXTRA_CLIENT_METADATA] },
    // Private signing keys from the database, active first (the RSA key signs RS256 and PS256).
    jwks: { keys: providerSigningJwks(privateJwks) },
    // Only the code flow: implicit and hybrid leak tokens through the front channel.
    responseTypes: ['code'],
    // S256 only (the library default); required for public and native clients.
    pkce: { required: (_ctx, client) => (client as unknown as ClientLike).clientAuthMethod === 'none' || (client as unknown as ClientLike).applicationType === 'native' },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    // Claims listed under `openid` reach every ID token and userinfo response: the region and
    // locale, how and when the person authenticated (acr, amr, auth_time), and the session id
    // that back-channel logout tokens refer to.
    claims: {
      openid: ['sub', 'country_region_code', 'locale', 'acr', 'amr', 'auth_time', 'sid'],
      email: ['email', 'email_verified'],
      profile: ['locale', 'name'],
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      iss: null,
    },
    // Profile claims also go into the ID token, not only userinfo (apps read them from there).
    conformIdTokenClaims: false,
    acrValues: ACR_VALUES_SUPPORTED,
    // At the token endpoint, an account whose region the client does not serve gets invalid_grant.
    findAccount: withClientRegionCheck(createFindAccount(accounts)),
    // `region`: the app's region hint (ISO 3166-1 alpha-2), echoed in a region_mismatch answer.
    extraParams: { region: validateRegionParam },
    loadExistingGrant,
    // Refresh tokens for first-party apps without the offline_access consent dance.
    issueRefreshToken: async (_ctx, client, source) =>
      client.grantTypeAllowed('refresh_token') && (isFirstParty(client as unknown as ClientLike) || source.scopes.has('offline_access')),
    // Always rotate: a reused refresh token then revokes the whole grant (reuse detection).
    rotateRefreshToken: () => true,
    // RFC 9068 access tokens carry the user's region and how they authenticated.
    extraTokenClaims: async (ctx, token) => {
      // Token exchange decided its claims (act, and those carried over from the subject token).
      const exchanged = exchangeIssuanceOf(token);
      if (exchanged) return exchanged.claims;
      if (token.kind !== 'AccessToken' || !('accountId' in token) || !token.accountId) return undefined;
      const account = ctx.oidc.entities.Account as LoadedAccount | undefined;
      const source = sourceOf(ctx);
      return {
        country_region_code: account?.profile.countryRegionCode,
        acr: source?.acr,
        amr: source?.amr,
        auth_time: source?.authTime,
      };
    },
    // Pairwise clients get a PPID per sector (lib/protocol/pairwise.ts); public ones the account id.
    subjectTypes: ['public', 'pairwise'],
    // HMAC of (sector, account) with PAIRWISE_SALT, recorded so the server can translate PPIDs.
    pairwiseIdentifier: (_ctx, accountId, client) => pairwise.pairwiseIdentifier(accountId, client.clientId),
    // Sectors come from idp.config.yaml, never from fetching a sector_identifier_uri.
    sectorIdentifierUriValidate: () => false,
    formats: {
      customizers: {
        // A JWT access token's `sub` is the subject as its resource server knows it (the RS's
        // PPID when it is pairwise); token exchange sets its own. Client credentials: unchanged.
        jwt: async (_ctx, token, jwt) => {
          const sub = await accessTokenJwtSubject(token, pairwise);
          if (sub !== undefined) jwt.payload.sub = sub;
        },
      },
    },
    cookies: {
      // Keys sign the interaction and session cookies; the first signs, the rest verify.
      keys: env.cookieSecrets,
      names: providerCookieNames(env.publicUrl),
      // The session cookie: SameSite=None; Secure where POST to /auth and /session/end is on
      // (lib/protocol/session-cookie.ts); the short-lived interaction cookies stay Lax.
      long: sessionCookieOptions(env.publicUrl),
      short: { httpOnly: true, sameSite: 'lax', secure },
    },
    // CORS only from the web (http/https) origins of the client's redirect URIs, never `null`.
    clientBasedCORS: (_ctx, origin, client) => isClientCorsOrigin(origin, client),
    // OIDC Core 3.1.2.1 and RP-Initiated Logout §2: relying parties may POST to /auth and
    // /session/end (needs the session cookie above; off on a plain-http non-loopback PUBLIC_URL).
    enableHttpPostMethods: crossSitePostSupported(env.publicUrl),
    // Outgoing requests (logout tokens, client JWKS): oidc-provider's SSRF guard, except for the
    // networks and hosts idp.config.yaml declares under internal_networks.
    fetch: createOutgoingFetch(buildInternalNetworks(idp.internal_networks)),
    discovery: {
      ui_locales_supported: [...SUPPORTED_LOCALES],
      claims_locales_supported: [...SUPPORTED_LOCALES],
      service_documentation: `${env.publicUrl.origin}/`,
      // The prompts a client may request, `create` included (OIDC Initiating User Registration).
      prompt_values_supported: promptValuesSupported(interactionPolicy),
    },
    enabledJWA: {
      idTokenSigningAlgValues: [...ID_TOKEN_SIGNING_ALGS],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
      introspectionSigningAlgValues: ['ES256', 'RS256'],
      authorizationSigningAlgValues: ['ES256', 'RS256'],
      requestObjectSigningAlgValues: ['ES256', 'RS256'],
      // private_key_jwt assertions.
      clientAuthSigningAlgValues: [...CLIENT_ASSERTION_ALGS],
    },
    features: {
      // Our own pages handle interactions.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Only the token's own client, or one acting for its audience, sees it active (introspection-policy.ts).
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => mayIntrospect(client as unknown as ClientLike, token) },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      // First-party clients with an id_token_hint for this session skip the confirmation page.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: createLogoutSource(async (accountId, client) => (client.subjectType === 'pairwise' ? pairwise.pairwiseIdentifier(accountId, client.clientId) : accountId)),
        postLogoutSuccessSource,
      },
      // The `claims` request parameter (OIDC Core 5.5): requested claims, essential ones
      // included, are returned when the account has them.
      claimsParameter: { enabled: true },
      // PAR keeps authorization parameters off the front channel.
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      resourceIndicators: {
        enabled: true,
        // No resource → an opaque token for userinfo; a resource → a JWT for that server.
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: createResourceServerInfo(idp),
      },
      userinfo: { enabled: true },
    },
    interactions: {
      // login → region (the account's region must be one the client serves) → consent.
      policy: interactionPolicy,
      // Locale-free path (oidc-provider scopes its cookie to it); ui_locales travels in a
      // cookie scoped to this interaction only.
      url: async (ctx, interaction) => {
        const path = `/interaction/${interaction.uid}`;
        const ui = matchUiLocales(interaction.params.ui_locales as string | undefined);
        if (ui) ctx.cookies.set(UI_LOCALES_COOKIE, ui, { path, httpOnly: true, sameSite: 'lax', secure, maxAge: INTERACTION_TTL_SECONDS * 1000 });
        return path;
      },
    },
    renderError,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      AuthorizationCode: 60,
      IdToken: policies.id_token_ttl_seconds,
      RefreshToken: policies.refresh_token_ttl_seconds,
      Interaction: INTERACTION_TTL_SECONDS,
      Session: policies.session_ttl_seconds,
      Grant: policies.refresh_token_ttl_seconds,
    },
    // redirect_uri is always explicit, even for clients with a single registered one.
    allowOmittingSingleRegisteredRedirectUri: false,
  };
}

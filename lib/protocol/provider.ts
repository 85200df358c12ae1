import Provider from 'oidc-provider';
import { getEnv } from '../config/env';
import { getIdpConfig } from '../config/idp-config';
import { prismaAccountRepository } from '../infra/db/prisma-account-repository';
import { createClientAuthLimiters } from '../infra/client-auth-limiters';
import { CLIENT_IP_HEADER } from '../infra/http/client-ip';
import { KEY_RELOAD_INTERVAL_MS, loadSigningKeys } from '../infra/keys/signing-key-store';
import { installClientAuthThrottle } from './client-auth-throttle';
import { withoutNullOrigin } from './client-cors';
import { buildConfiguration } from './configuration';
import { watchBackchannelDelivery } from './backchannel-delivery';
import { bindAtHashAtTokenEndpoint } from './id-token-at-hash';
import { registerTokenExchange } from './grants/token-exchange';
import { getPairwiseRuntime } from './pairwise';
import { OwnTokenVerifier } from './subject-tokens/own-token-verifier';
import { scheduleOidcCleanup } from './oidc-sql-adapter';
import { regionMismatchResponse } from './region-control';
import { allowSecureCookiesOnLoopback } from './session-cookie';
import { providerSigningJwks } from './signing-jwks';
import { providerSecurityHeaders } from './pages/security-headers';

type ProviderState = { provider: Provider; keyFingerprint: string };

const holder = globalThis as unknown as { __meridianProvider?: Promise<ProviderState>; __meridianKeyCheck?: Promise<void>; __meridianKeyReload?: NodeJS.Timeout };

function fingerprint(keys: { kid?: string }[]): string {
  return keys.map((k) => k.kid).join(',');
}

async function createProviderState(): Promise<ProviderState> {
  const env = getEnv();
  const keys = await loadSigningKeys();
  const provider = new Provider(
    env.issuer,
    buildConfiguration({ env, idp: getIdpConfig(), privateJwks: keys.privateJwks, accounts: prismaAccountRepository }),
  );
  // Forwarding headers are never trusted: host and protocol come from PUBLIC_URL in the bridge.
  provider.proxy = false;
  allowSecureCookiesOnLoopback(provider, env.publicUrl);
  bindAtHashAtTokenEndpoint(provider);
  // RFC 8693 token exchange; our own tokens are verified with the keys this provider signs with.
  registerTokenExchange(provider, {
    issuer: env.issuer,
    idp: getIdpConfig(),
    pairwise: getPairwiseRuntime(),
    accounts: prismaAccountRepository,
    ownTokens: new OwnTokenVerifier(env.issuer, async () => ({ keys: providerSigningJwks(keys.publicJwks.keys) })),
  });
  // ctx.ip is the client's address as server.mjs decided it (socket peer or trusted proxy chain).
  provider.use((ctx, next) => {
    const ip = ctx.get(CLIENT_IP_HEADER);
    if (ip) ctx.request.ip = ip;
    return next();
  });
  // Never `Access-Control-Allow-Origin: null` (custom-scheme redirect URIs, sandboxed pages).
  provider.use(withoutNullOrigin);
  // Failed client authentication locks the client id and the IP out, as failed sign-ins do.
  installClientAuthThrottle(provider, createClientAuthLimiters());
  provider.use(providerSecurityHeaders);
  // Completes error=region_mismatch redirects with account_region and a localized description.
  provider.use(regionMismatchResponse);
  provider.on('server_error', (_ctx, error) => {
    console.error('[oidc] server_error', error);
  });
  watchBackchannelDelivery(provider);
  scheduleOidcCleanup();
  return { provider, keyFingerprint: fingerprint(keys.privateJwks) };
}

/**
 * A rotation by `npm run idp -- keys rotate` in another process is picked up within
 * KEY_RELOAD_INTERVAL_MS, on a timer rather than behind requests, so an idle process is as
 * current as a busy one (signing-key-store.ts, rule 3); never on a request's path.
 */
function checkKeysInBackground(state: ProviderState): void {
  if (holder.__meridianKeyCheck) return;
  holder.__meridianKeyCheck = loadSigningKeys()
    .then(async (keys) => {
      if (fingerprint(keys.privateJwks) !== state.keyFingerprint) {
        const next = await createProviderState();
        holder.__meridianProvider = Promise.resolve(next);
      }
    })
    .catch((e: unknown) => console.error('[oidc] key check failed', e))
    .finally(() => {
      holder.__meridianKeyCheck = undefined;
    });
}

/** The process-wide provider (kept on globalThis: Next evaluates modules once per bundle). */
export async function getProvider(): Promise<Provider> {
  holder.__meridianProvider ??= createProviderState().catch((e: unknown) => {
    holder.__meridianProvider = undefined;
    throw e;
  });
  holder.__meridianKeyReload ??= setInterval(() => void holder.__meridianProvider?.then(checkKeysInBackground, () => undefined), KEY_RELOAD_INTERVAL_MS).unref();
  return (await holder.__meridianProvider).provider;
}

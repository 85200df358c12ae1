import type { JWK } from 'jose';
import Provider, { type Adapter } from 'oidc-provider';
import type { Env } from '../config/env';
import type { IdpConfig } from '../config/idp-config-schema';
import type { AccountRepository } from '../domain/accounts/account-repository';
import type { FailureLimiter } from '../domain/sign-in/lockout';
import { clientIpFrom } from '../http/client-ip';
import { watchBackchannelDelivery, type BackchannelFailures } from './backchannel-delivery';
import { installClientAuthThrottle } from './client-auth-throttle';
import { withoutNullOrigin } from './client-cors';
import { buildConfiguration } from './configuration';
import { bindAtHashAtTokenEndpoint } from './id-token-at-hash';
import { registerTokenExchange } from './grants/token-exchange';
import type { PairwiseRuntime } from './pairwise';
import { providerSecurityHeaders } from './pages/security-headers';
import { regionMismatchResponse } from './region-control';
import { allowSecureCookiesOnLoopback } from './session-cookie';
import { providerSigningJwks } from './signing-jwks';
import type { ReadinessOf } from './sign-up-prompts';
import { OwnTokenVerifier } from './subject-tokens/own-token-verifier';

/** The signing keys as the database holds them: private (to sign) and the published set. */
export type ProviderSigningKeys = { privateJwks: JWK[]; publicJwks: { keys: JWK[] } };

/** What the provider is built from; the composition root supplies each. */
export type ProviderPorts = {
  env: Env;
  idp: IdpConfig;
  accounts: AccountRepository;
  pairwise: PairwiseRuntime;
  /** Storage for sessions, interactions, grants, codes and tokens, per model. */
  adapter: (model: string) => Adapter;
  loadSigningKeys(): Promise<ProviderSigningKeys>;
  /** How often the keys are re-read, to pick up a rotation made by another process. */
  keyReloadIntervalMs: number;
  readinessOf: ReadinessOf;
  /** Failed client authentication locks out the client id and the IP, as failed sign-ins do. */
  clientAuthLimiters: { perClient: FailureLimiter; perIp: FailureLimiter };
  backchannelFailures: BackchannelFailures;
};

/** The process's provider, rebuilt when another process rotates the signing keys. */
export type ProviderRuntime = { provider(): Promise<Provider> };

type ProviderState = { provider: Provider; keyFingerprint: string };

function fingerprint(keys: { kid?: string }[]): string {
  return keys.map((k) => k.kid).join(',');
}

async function createProviderState(ports: ProviderPorts): Promise<ProviderState> {
  const { env, idp } = ports;
  const keys = await ports.loadSigningKeys();
  const provider = new Provider(
    env.issuer,
    buildConfiguration({ env, idp, privateJwks: keys.privateJwks, accounts: ports.accounts, pairwise: ports.pairwise, adapter: ports.adapter, readinessOf: ports.readinessOf }),
  );
  // Forwarding headers are never trusted: host and protocol come from PUBLIC_URL in the bridge.
  provider.proxy = false;
  allowSecureCookiesOnLoopback(provider, env.publicUrl);
  bindAtHashAtTokenEndpoint(provider);
  // RFC 8693 token exchange; our own tokens are verified with the keys this provider signs with.
  registerTokenExchange(provider, {
    issuer: env.issuer,
    idp,
    pairwise: ports.pairwise,
    accounts: ports.accounts,
    ownTokens: new OwnTokenVerifier(env.issuer, async () => ({ keys: providerSigningJwks(keys.publicJwks.keys) })),
  });
  // ctx.ip is the client's address as decided where the request came in (lib/http/client-ip.ts).
  provider.use((ctx, next) => {
    ctx.request.ip = clientIpFrom(ctx.req.headers);
    return next();
  });
  // Never `Access-Control-Allow-Origin: null` (custom-scheme redirect URIs, sandboxed pages).
  provider.use(withoutNullOrigin);
  installClientAuthThrottle(provider, ports.clientAuthLimiters);
  provider.use(providerSecurityHeaders);
  // Completes error=region_mismatch redirects with account_region and a localized description.
  provider.use(regionMismatchResponse);
  provider.on('server_error', (_ctx, error) => {
    console.error('[oidc] server_error', error);
  });
  watchBackchannelDelivery(provider, ports.backchannelFailures);
  return { provider, keyFingerprint: fingerprint(keys.privateJwks) };
}

/**
 * The provider, built on first use. A rotation by `npm run idp -- keys rotate` in another
 * process is picked up within `keyReloadIntervalMs`, on a timer rather than behind requests, so
 * an idle process is as current as a busy one; never on a request's path.
 */
export function createProviderRuntime(ports: ProviderPorts): ProviderRuntime {
  let current: Promise<ProviderState> | undefined;
  let keyCheck: Promise<void> | undefined;
  let reloadTimer: NodeJS.Timeout | undefined;

  function checkKeysInBackground(state: ProviderState): void {
    if (keyCheck) return;
    keyCheck = ports
      .loadSigningKeys()
      .then(async (keys) => {
        if (fingerprint(keys.privateJwks) !== state.keyFingerprint) current = Promise.resolve(await createProviderState(ports));
      })
      .catch((e: unknown) => console.error('[oidc] key check failed', e))
      .finally(() => {
        keyCheck = undefined;
      });
  }

  return {
    async provider() {
      current ??= createProviderState(ports).catch((e: unknown) => {
        current = undefined;
        throw e;
      });
      reloadTimer ??= setInterval(() => void current?.then(checkKeysInBackground, () => undefined), ports.keyReloadIntervalMs).unref();
      return (await current).provider;
    },
  };
}

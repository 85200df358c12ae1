import { getEnv } from '@/lib/config/env';
import { getIdpConfig } from '@/lib/config/idp-config';
import type { ResourceServerEndpointConfig } from '@/lib/config/schema/resource-server-endpoints';
import { denialResponse } from '@/lib/resource-server/denial';
import type { EndpointRule } from '@/lib/resource-server/endpoint-rules';
import { createResourceServerGuard, type Grant, type ResourceServerGuard } from '@/lib/resource-server/resource-server-guard';

/**
 * The demo resource server (`${PUBLIC_URL}/api/demo` in idp.config.yaml) as a client of
 * lib/resource-server: the same guard a separate Node service would use, fed from our config.
 * It fetches the issuer's JWKS over HTTP like any other resource server (cached; refetched
 * when a token names an unknown kid). DPoP-bound tokens are checked against their proofs; used
 * proof ids are remembered in this process (one server process; several would share a store).
 */

const DEMO_DPOP_ALGORITHMS = ['ES256', 'EdDSA', 'Ed25519'];

const holder = globalThis as unknown as { __meridianDemoGuard?: ResourceServerGuard };

export function demoResourceServerIdentifier(): string {
  return `${getEnv().publicUrl.href.replace(/\/$/, '')}/api/demo`;
}

export function toEndpointRule(e: ResourceServerEndpointConfig): EndpointRule {
  return { method: e.method, path: e.path, regions: e.regions, scopes: e.scopes, acr: e.acr, maxAgeSeconds: e.max_age_seconds, dpop: e.dpop };
}

function getDemoGuard(): ResourceServerGuard {
  if (!holder.__meridianDemoGuard) {
    const env = getEnv();
    const identifier = demoResourceServerIdentifier();
    const rs = getIdpConfig().resource_servers.find((r) => r.identifier === identifier);
    if (!rs) throw new Error(`the configuration declares no resource server ${identifier}`);
    holder.__meridianDemoGuard = createResourceServerGuard({
      issuer: env.issuer,
      audience: rs.identifier,
      jwksUri: `${env.issuer}/jwks`,
      endpoints: rs.endpoints.map(toEndpointRule),
      // Clients sign DPoP proofs for the public URL, not the address behind a proxy.
      publicOrigin: env.publicUrl.origin,
      // The algorithms our authorization server accepts for DPoP (oidc-provider's default).
      dpopAlgorithms: DEMO_DPOP_ALGORITHMS,
    });
  }
  return holder.__meridianDemoGuard;
}

/** The grant for this request, or the error response to send (401/403/404/503 JSON). */
export async function guardDemoRequest(request: Request): Promise<Grant | Response> {
  const result = await getDemoGuard().authorizeRequest(request);
  if (result.ok) return result;
  if (result.error === 'temporarily_unavailable') console.warn('[demo-api] the issuer JWKS could not be fetched');
  return denialResponse(result);
}

export const NO_STORE = { 'cache-control': 'no-store' } as const;

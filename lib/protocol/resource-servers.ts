import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { IdpConfig } from '../config/idp-config-schema';
import { allowedResourceScopes } from './client-metadata';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

const OIDC_SCOPES = new Set(['openid', 'offline_access', 'email', 'profile']);

/**
 * Resource servers from config. A client gets tokens only for resource servers listed in its
 * `resources`, and only with the scopes listed there (the service permission registry).
 */
export function createResourceServerInfo(config: IdpConfig) {
  const byIdentifier = new Map(config.resource_servers.map((rs) => [rs.identifier, rs]));
  return async function getResourceServerInfo(ctx: KoaContextWithOIDC, resourceIndicator: string, client: Client): Promise<ResourceServer> {
    const rs = byIdentifier.get(resourceIndicator);
    if (!rs) throw new errors.InvalidTarget('unknown resource server');
    const allowed = allowedResourceScopes(client as unknown as { clientId: string }, resourceIndicator);
    if (allowed.length === 0) throw new errors.InvalidTarget('client is not allowed to access this resource server');
    // The library would silently drop scopes the client may not have; asking for one is an error.
    const requested = String((ctx.oidc.params as Record<string, unknown> | undefined)?.scope ?? '').split(' ');
    const refused = requested.filter((s) => s && !OIDC_SCOPES.has(s) && !allowed.includes(s));
    if (refused.length > 0) throw new errors.InvalidScope('requested scope is not allowed for this client and resource', refused.join(' '));
    return {
      scope: allowed.filter((s) => s in rs.scopes).join(' '),
      audience: rs.identifier,
      accessTokenTTL: rs.access_token_ttl_seconds,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'ES256' } },
    };
  };
}
